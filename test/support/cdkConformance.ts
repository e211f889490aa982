/**
 * The verdicts compared by the CDK conformance test: ours on an app's TypeScript, ours on the
 * templates the real aws-cdk-lib synthesises from it, as `<rule> <construct id>` lines, and each
 * trail's overview (key chain and requirements) as one line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAnalyzer } from '../../server/src/engine';
import { createDiskHost, pathToUri } from '../../server/src/diskHost';
import type { TrailOverview } from '../../server/src/engine/analysis/trailOverview';

/** The rules that judge a trail's key and its policy, and the trail's validation. */
export const COMPARED_RULES = new Set(['CTK001', 'CTK002', 'CTK003', 'CTK004', 'CTK101', 'CTK102', 'CTK103', 'CTK104', 'CTK105', 'CTK106', 'CTK201', 'CTK202']);

export function sourceFiles(appDir: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'cdk.out') visit(full);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  };
  visit(appDir);
  return found.sort();
}

export interface Verdict {
  line: string;
  suppressedBy?: string;
}

/** Our verdicts on the TypeScript: the construct id is the finding's resource. */
export async function verdictsOnTypeScript(appDir: string, texts: Map<string, string> = new Map()): Promise<Verdict[]> {
  const disk = createDiskHost({ roots: [appDir], maxFileSize: 5 * 1024 * 1024 });
  const analyzer = await createAnalyzer(disk);
  const result: Verdict[] = [];
  for (const file of sourceFiles(appDir)) {
    const uri = pathToUri(file);
    const text = texts.get(path.relative(appDir, file));
    if (text !== undefined) analyzer.setDocument(uri, text);
  }
  for (const file of sourceFiles(appDir)) {
    for (const f of analyzer.analyze(pathToUri(file))) if (COMPARED_RULES.has(f.ruleId)) result.push({ line: `${f.ruleId} ${f.resource}`, suppressedBy: f.suppressedBy });
  }
  return sortVerdicts(result);
}

/** Our verdicts on the synthesised templates: a logical id is named by its construct id (`aws:cdk:path`). */
export async function verdictsOnTemplates(templates: string[]): Promise<Verdict[]> {
  const result: Verdict[] = [];
  for (const template of templates) {
    const analyzer = await createAnalyzer(createDiskHost({ roots: [path.dirname(template)], maxFileSize: 5 * 1024 * 1024 }));
    const ids = constructIds(template);
    for (const f of analyzer.analyze(pathToUri(template))) if (COMPARED_RULES.has(f.ruleId)) result.push({ line: `${f.ruleId} ${ids.get(f.resource) ?? f.resource}` });
  }
  return sortVerdicts(result);
}

/**
 * Each trail's overview as one line, on the TypeScript and on the synthesised templates:
 * `<trail> [<trail>><alias>><key>>policy] encrypt:<mark> scoped:<mark> …`, every construct named
 * by its construct id: what we conclude of the trail, its key chain and each requirement.
 */
export async function overviewsOnTypeScript(appDir: string): Promise<string[]> {
  const analyzer = await createAnalyzer(createDiskHost({ roots: [appDir], maxFileSize: 5 * 1024 * 1024 }));
  const lines = new Set<string>();
  for (const file of sourceFiles(appDir)) for (const o of analyzer.trailOverviews(pathToUri(file))) lines.add(overviewLine(o, new Map()));
  return [...lines].sort();
}

export async function overviewsOnTemplates(templates: string[]): Promise<string[]> {
  const lines = new Set<string>();
  for (const template of templates) {
    const analyzer = await createAnalyzer(createDiskHost({ roots: [path.dirname(template)], maxFileSize: 5 * 1024 * 1024 }));
    const ids = constructIds(template);
    for (const o of analyzer.trailOverviews(pathToUri(template))) lines.add(overviewLine(o, ids));
  }
  return [...lines].sort();
}

function overviewLine(o: TrailOverview, ids: Map<string, string>): string {
  const name = (address: string): string => ids.get(address) ?? address;
  const chains = o.chains.map((chain) => chain.map((step) => name(step.address)).join('>')).join(',');
  return `${name(o.address)} [${chains}] ${o.requirements.map((r) => `${r.id}:${r.mark}`).join(' ')}`;
}

/** Logical id → the id of the construct that made it: `Stack/LogsKey/Resource` → `LogsKey`, `Stack/RawTrail` → `RawTrail`. */
export function constructIds(template: string): Map<string, string> {
  const resources = JSON.parse(fs.readFileSync(template, 'utf8')).Resources ?? {};
  const ids = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries<{ Metadata?: Record<string, string> }>(resources)) {
    const segments = (resource.Metadata?.['aws:cdk:path'] ?? logicalId).split('/');
    if (segments[segments.length - 1] === 'Resource') segments.pop();
    ids.set(logicalId, segments[segments.length - 1]);
  }
  return ids;
}

const sortVerdicts = (verdicts: Verdict[]): Verdict[] => verdicts.sort((a, b) => a.line.localeCompare(b.line));
