/**
 * The server's view of the `cloudtrailKmsLint.*` settings, with the defaults package.json
 * declares. Kept in one typed place so a setting cannot be read with two spellings.
 */
import * as path from 'node:path';
import type { AnalyzerConfig, RuleSetting } from '../engine';
import { isUnder } from '../paths';
import { DEFAULT_CONFIG, mergeConfig, PROJECT_CONFIG_FILE, readProjectConfig, type ProjectConfig } from '../projectConfig';

export interface Settings {
  enable: boolean;
  /** Rule id → severity or `off`. */
  rules: Record<string, RuleSetting>;
  /** Glob-ish folder names skipped by the workspace scan. */
  exclude: string[];
  /** Bytes; larger files are skipped with one line in the log. */
  maxFileSize: number;
  /** Milliseconds the analysis of one file may take; over it, the file gets a note. */
  timeLimit: number;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, ...DEFAULT_CONFIG };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Accepts whatever the client sent; anything malformed falls back to the default. The project
 * file's values sit under the client's: VS Code's client sends only the settings the user set
 * for rules, exclude, maxFileSize and timeLimit, so a project value applies unless the user chose another.
 */
export function normalizeSettings(raw: unknown, project: ProjectConfig = {}): Settings {
  const client = clientSettings(raw);
  const merged = mergeConfig(
    { rules: {}, exclude: client.exclude ?? DEFAULT_SETTINGS.exclude, maxFileSize: DEFAULT_SETTINGS.maxFileSize, timeLimit: DEFAULT_SETTINGS.timeLimit },
    project,
    { rules: client.rules, maxFileSize: client.maxFileSize, timeLimit: client.timeLimit },
  );
  return { enable: client.enable ?? DEFAULT_SETTINGS.enable, ...merged };
}

/**
 * The project file at the root of the first of `roots`, if it has one. Only the folder itself is
 * looked in: the server reads nothing outside the workspace. A broken file is reported and ignored.
 */
export function workspaceProjectConfig(roots: string[], warn: (message: string) => void): ProjectConfig {
  if (roots.length === 0) return {};
  const file = path.join(roots[0], PROJECT_CONFIG_FILE);
  try {
    return readProjectConfig(file);
  } catch (error) {
    if (!/: ENOENT$/.test((error as Error).message)) warn(`Ignoring the project configuration: ${(error as Error).message}`);
    return {};
  }
}

function clientSettings(raw: unknown): Partial<Settings> {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (typeof value.rules === 'object' && value.rules !== null) {
    for (const [id, setting] of Object.entries(value.rules as Record<string, unknown>)) {
      if (typeof setting === 'string' && SEVERITIES.has(setting)) rules[id.toUpperCase()] = setting as RuleSetting;
    }
  }
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : undefined,
    rules,
    exclude: Array.isArray(value.exclude) ? value.exclude.filter((e): e is string => typeof e === 'string') : undefined,
    maxFileSize: typeof value.maxFileSize === 'number' && value.maxFileSize > 0 ? value.maxFileSize : undefined,
    timeLimit: typeof value.timeLimit === 'number' && value.timeLimit > 0 ? value.timeLimit : undefined,
  };
}

export const analyzerConfig = (settings: Settings): AnalyzerConfig => ({ rules: settings.rules, timeLimitMs: settings.timeLimit });

/**
 * Settings per workspace folder: in a multi-root workspace each folder's
 * `.vscode/settings.json` applies to its own files. A file outside every folder gets the
 * window's settings.
 */
export class FolderSettings {
  private byRoot: [root: string, settings: Settings][] = [];
  window: Settings = DEFAULT_SETTINGS;

  set(window: Settings, byRoot: [string, Settings][]): void {
    this.window = window;
    // Longest root first: a folder nested in another takes its own settings.
    this.byRoot = [...byRoot].sort((a, b) => b[0].length - a[0].length);
  }

  forPath(filePath: string | undefined): Settings {
    if (filePath === undefined) return this.window;
    const match = this.byRoot.find(([root]) => isUnder(filePath, root));
    return match ? match[1] : this.window;
  }

  /** Whether any folder (or the window) has the checks on. */
  anyEnabled(): boolean {
    return this.window.enable || this.byRoot.some(([, s]) => s.enable);
  }
}
