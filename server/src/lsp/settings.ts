/**
 * The server's view of the `cloudtrailKmsLint.*` settings, with the defaults package.json
 * declares. Kept in one typed place so a setting cannot be read with two spellings.
 */
import type { AnalyzerConfig, RuleSetting } from '../engine';

export interface Settings {
  enable: boolean;
  /** Rule id → severity or `off`. */
  rules: Record<string, RuleSetting>;
  /** Glob-ish folder names skipped by the workspace scan. */
  exclude: string[];
  /** Bytes; larger files are skipped with one line in the log. */
  maxFileSize: number;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  exclude: ['**/node_modules/**', '**/.git/**', '**/.terraform/**'],
  maxFileSize: 5 * 1024 * 1024,
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Accepts whatever the client sent; anything malformed falls back to the default. */
export function normalizeSettings(raw: unknown): Settings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (typeof value.rules === 'object' && value.rules !== null) {
    for (const [id, setting] of Object.entries(value.rules as Record<string, unknown>)) {
      if (typeof setting === 'string' && SEVERITIES.has(setting)) rules[id.toUpperCase()] = setting as RuleSetting;
    }
  }
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    rules,
    exclude: Array.isArray(value.exclude) ? value.exclude.filter((e): e is string => typeof e === 'string') : DEFAULT_SETTINGS.exclude,
    maxFileSize: typeof value.maxFileSize === 'number' && value.maxFileSize > 0 ? value.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
  };
}

export const analyzerConfig = (settings: Settings): AnalyzerConfig => ({ rules: settings.rules });
