/** The `scan` command line, parsed and checked; a mistake is a UsageError of one line. */
import { parseRuleId, parseSeverity } from './projectConfig';
import type { RuleSetting, Severity } from './engine';

export class UsageError extends Error {}

export interface ScanOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'none';
  /** Added to the defaults and the project file's. */
  exclude: string[];
  maxFileSize?: number;
  timeLimit?: number;
  /** `--config FILE`: this file instead of the one found by walking up from the first path. */
  config?: string;
  rules: Record<string, RuleSetting>;
  outputFile?: string;
  baseline?: string;
  writeBaseline?: string;
  docsUrl?: string;
  sarifRoot?: string;
  allowEmpty: boolean;
  help: boolean;
}

export function parseScanArgs(args: string[]): ScanOptions {
  const options: ScanOptions = { paths: [], format: 'text', failOn: 'warning', exclude: [], rules: {}, allowEmpty: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not ${v}`);
        options.format = v;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (!['error', 'warning', 'information', 'none'].includes(v)) throw new UsageError(`--fail-on must be error, warning, information or none, not ${v}`);
        options.failOn = v as ScanOptions['failOn'];
        break;
      }
      case '--exclude':
        options.exclude.push(value());
        break;
      case '--max-file-size': {
        const v = Number(value());
        if (!Number.isFinite(v) || v <= 0) throw new UsageError('--max-file-size must be a positive number of bytes');
        options.maxFileSize = v;
        break;
      }
      case '--time-limit': {
        const v = Number(value());
        if (!Number.isFinite(v) || v <= 0) throw new UsageError('--time-limit must be a positive number of milliseconds');
        options.timeLimit = v;
        break;
      }
      case '--rule': {
        // `--rule CTK001=error`, or `--rule CTK201:off`.
        const v = value();
        const match = /^([^=:]+)[=:](.+)$/.exec(v);
        if (!match) throw new UsageError(`--rule takes ID=SEVERITY (e.g. CTK001=error), not ${v}`);
        const fail = (what: string): never => {
          throw new UsageError(`--rule ${v}: ${what}`);
        };
        options.rules[parseRuleId(match[1].trim(), fail)] = parseSeverity(match[2].trim(), fail);
        break;
      }
      case '--config': options.config = value(); break;
      case '--output-file': case '-o': options.outputFile = value(); break;
      case '--baseline': options.baseline = value(); break;
      case '--write-baseline': options.writeBaseline = value(); break;
      case '--docs-url': {
        const v = value();
        if (!/^https?:\/\//.test(v)) throw new UsageError(`--docs-url must be an http(s) URL, not ${v}`);
        options.docsUrl = v;
        break;
      }
      case '--sarif-root': options.sarifRoot = value(); break;
      case '--allow-empty': options.allowEmpty = true; break;
      case '--help': case '-h': options.help = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        options.paths.push(arg);
    }
  }
  if (options.paths.length === 0 && !options.help) throw new UsageError('scan needs at least one PATH');
  return options;
}
