/**
 * The project configuration file, `.cloudtrail-kms-lint.json`, that the CLI and the editor both
 * read, so a team writes its rule severities, excludes, size and time limits once and CI judges what
 * the editor shows. Plain data: reading it never runs anything.
 *
 * Precedence, lowest first: built-in defaults, the project file, then what the user set
 * (VS Code settings in the editor; `--rule`, `--exclude`, `--max-file-size`, `--time-limit` on
 * the command line). Rules merge per id; excludes add up; the limits are replaced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TIME_LIMIT_MS, RULES, type RuleSetting } from './engine';
import { DEFAULT_MAX_FILE_SIZE } from './diskHost';

export const PROJECT_CONFIG_FILE = '.cloudtrail-kms-lint.json';

export interface ProjectConfig {
  rules?: Record<string, RuleSetting>;
  exclude?: string[];
  maxFileSize?: number;
  /** Milliseconds the analysis of one file may take. */
  timeLimit?: number;
}

export class ProjectConfigError extends Error {}

const SETTINGS = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);
const RULE_IDS = new Set<string>(RULES.map((rule) => rule.meta.id));
const KEYS = new Set(['$schema', 'rules', 'exclude', 'maxFileSize', 'timeLimit']);

/** Checks a parsed project file; throws ProjectConfigError naming the first thing that is wrong. */
export function validateProjectConfig(value: unknown, source: string): ProjectConfig {
  const fail = (what: string): never => {
    throw new ProjectConfigError(`${source}: ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be a JSON object');
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!KEYS.has(key)) fail(`unknown key "${key}" (expected rules, exclude, maxFileSize, timeLimit)`);
  const config: ProjectConfig = {};
  if (raw.rules !== undefined) {
    if (typeof raw.rules !== 'object' || raw.rules === null || Array.isArray(raw.rules)) fail('"rules" must be an object of rule id → severity');
    config.rules = {};
    for (const [id, setting] of Object.entries(raw.rules as Record<string, unknown>)) {
      config.rules[parseRuleId(id, (what) => fail(`"rules": ${what}`))] = parseSeverity(setting, (what) => fail(`"rules"."${id}": ${what}`));
    }
  }
  if (raw.exclude !== undefined) {
    if (!Array.isArray(raw.exclude) || raw.exclude.some((e) => typeof e !== 'string')) fail('"exclude" must be an array of globs');
    config.exclude = raw.exclude as string[];
  }
  if (raw.maxFileSize !== undefined) {
    if (typeof raw.maxFileSize !== 'number' || !Number.isFinite(raw.maxFileSize) || raw.maxFileSize <= 0) fail('"maxFileSize" must be a positive number of bytes');
    config.maxFileSize = raw.maxFileSize as number;
  }
  if (raw.timeLimit !== undefined) {
    if (typeof raw.timeLimit !== 'number' || !Number.isFinite(raw.timeLimit) || raw.timeLimit <= 0) fail('"timeLimit" must be a positive number of milliseconds');
    config.timeLimit = raw.timeLimit as number;
  }
  return config;
}

export function parseRuleId(id: string, fail: (what: string) => never): string {
  const upper = id.toUpperCase();
  if (!RULE_IDS.has(upper)) fail(`unknown rule ${id} (rules: ${[...RULE_IDS].join(', ')})`);
  return upper;
}

export function parseSeverity(setting: unknown, fail: (what: string) => never): RuleSetting {
  if (typeof setting !== 'string' || !SETTINGS.has(setting)) fail(`must be error, warning, information, hint or off, not ${JSON.stringify(setting)}`);
  return setting as RuleSetting;
}

/** Reads and checks one project file. */
export function readProjectConfig(filePath: string): ProjectConfig {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ProjectConfigError(`${filePath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProjectConfigError(`${filePath}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return validateProjectConfig(value, filePath);
}

/**
 * The project file that applies to a path: in its folder or the nearest one above, up to the
 * repository root (the nearest folder holding `.git`). Outside a repository only the path's own
 * folder is looked in, so a file above the project (a home folder's, a runner's) is never read.
 */
export function findProjectConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  if (fs.statSync(dir, { throwIfNoEntry: false })?.isFile()) dir = path.dirname(dir);
  const top = repositoryRoot(dir) ?? dir;
  for (;;) {
    const candidate = path.join(dir, PROJECT_CONFIG_FILE);
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    if (dir === top) return undefined;
    dir = path.dirname(dir);
  }
}

/** The repository holding a folder: the nearest one with `.git` (found without running git). */
export function repositoryRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** What applies where nothing is configured: the editor's setting defaults and the CLI's. */
export const DEFAULT_CONFIG: EffectiveConfig = {
  rules: {},
  exclude: ['**/node_modules/**', '**/.git/**', '**/.terraform/**'],
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  timeLimit: DEFAULT_TIME_LIMIT_MS,
};

export interface EffectiveConfig {
  rules: Record<string, RuleSetting>;
  exclude: string[];
  maxFileSize: number;
  timeLimit: number;
}

/** Defaults, then the project file, then what the user set (which wins). */
export function mergeConfig(defaults: EffectiveConfig, project: ProjectConfig, user: ProjectConfig): EffectiveConfig {
  return {
    rules: { ...defaults.rules, ...project.rules, ...user.rules },
    exclude: [...new Set([...defaults.exclude, ...(project.exclude ?? []), ...(user.exclude ?? [])])],
    maxFileSize: user.maxFileSize ?? project.maxFileSize ?? defaults.maxFileSize,
    timeLimit: user.timeLimit ?? project.timeLimit ?? defaults.timeLimit,
  };
}
