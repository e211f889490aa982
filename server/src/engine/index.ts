/** The engine's public surface: what the language server and the CLI may use. */
export { createAnalyzer, Analyzer, type AnalyzerHost, type AnalyzerConfig, type RuleSetting } from './analyzer';
export { RULES, ruleById } from './rules';
export { isCheckedFileName, preloadLanguages } from './adapters';
export { compactParsers } from './treeSitterRuntime';
export { DEFAULT_TIME_LIMIT_MS } from './analysisBudget';
export { docsUri } from './rules/rule';
export type * from './types';
export type { TrailOverview, RequirementLine, RequirementId, ChainStep, Mark } from './analysis/trailOverview';
