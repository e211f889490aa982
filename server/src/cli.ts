/**
 * The CI command: `cloudtrail-kms-lint scan PATH… [--format text|json|sarif] [--fail-on …]`,
 * and `cloudtrail-kms-lint lsp --stdio`, which runs the language server for any LSP client.
 *
 * Exit codes: 0 clean, 1 a finding at or above --fail-on that is not suppressed, 2 usage or
 * I/O error (said on stderr).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from './engine';
import { DEFAULT_MAX_FILE_SIZE, pathToUri } from './diskHost';
import { scanFiles } from './scan/parallelScan';
import { walkFiles } from './walk';
import { formatJson } from './report/json';
import { formatText } from './report/text';
import { formatSarif } from './report/sarif';
import type { ReportedFinding, ScanResult } from './report/types';

const USAGE = `Usage:
  cloudtrail-kms-lint scan PATH... [--format text|json|sarif] [--fail-on error|warning|information|none]
                                   [--exclude GLOB]... [--max-file-size BYTES]
  cloudtrail-kms-lint lsp --stdio
  cloudtrail-kms-lint --version | --help

scan    checks Terraform, CloudFormation and key-policy files below each PATH.
        Exit 0 when clean, 1 when a finding at or above --fail-on (default: warning) is not
        suppressed, 2 on a usage or I/O error.
lsp     runs the language server on stdin/stdout.`;

const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/.terraform/**'];
const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

class UsageError extends Error {}

interface ScanOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'none';
  exclude: string[];
  maxFileSize: number;
}

function parseScanArgs(args: string[]): ScanOptions {
  const options: ScanOptions = { paths: [], format: 'text', failOn: 'warning', exclude: [...DEFAULT_EXCLUDE], maxFileSize: DEFAULT_MAX_FILE_SIZE };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
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
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) throw new UsageError('scan needs at least one PATH');
  return options;
}

async function scan(options: ScanOptions): Promise<number> {
  const started = Date.now();
  const paths = options.paths.map((p) => path.resolve(p));
  for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`${p} does not exist`);
  // Paths in the report are relative to the one folder scanned, else to the working directory.
  const root = paths.length === 1 && fs.statSync(paths[0]).isDirectory() ? paths[0] : process.cwd();
  const warn = (filePath: string, reason: string): void => {
    process.stderr.write(`cloudtrail-kms-lint: skipped ${filePath}: ${reason}\n`);
  };
  const readRoots = paths.map((p) => (fs.statSync(p).isDirectory() ? p : path.dirname(p)));
  const files = [...walkFiles(paths, { exclude: options.exclude, onSkip: warn })];
  const findings: ReportedFinding[] = [];
  const failures: string[] = [];
  await scanFiles(files, { roots: readRoots, maxFileSize: options.maxFileSize, config: {} }, {
    onResult: (filePath, found) => {
      const file = path.relative(root, filePath).split(path.sep).join('/');
      for (const finding of found) findings.push({ finding, file });
    },
    onSkip: warn,
    onError: (filePath, error) => failures.push(`${filePath}: ${error}`),
  });
  if (failures.length > 0) throw new Error(`analysis failed:\n${failures.join('\n')}`);
  // Workers finish in any order: report in a stable one.
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.finding.range.start.line - b.finding.range.start.line));
  const result: ScanResult = { root, findings, files: files.length, ms: Date.now() - started };
  process.stdout.write(`${render(result, options.format)}\n`);
  const failing = options.failOn === 'none' ? [] : findings.filter((f) => !f.finding.suppressedBy && RANK[f.finding.severity] >= RANK[options.failOn as Severity]);
  return failing.length > 0 ? 1 : 0;
}

function render(result: ScanResult, format: ScanOptions['format']): string {
  if (format === 'json') return formatJson(result);
  if (format === 'sarif') {
    const docs = path.resolve(__dirname, '..', 'docs', 'rules');
    return formatSarif(result, {
      toolVersion: packageVersion(),
      docsBaseUri: pathToUri(docs),
      readRuleDoc: (id) => readOrUndefined(path.join(docs, `${id}.md`)),
    });
  }
  return formatText(result, process.stdout.isTTY === true && !process.env.NO_COLOR);
}

function readOrUndefined(filePath: string): string | undefined {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
}

function packageVersion(): string {
  for (const candidate of [path.resolve(__dirname, '..', 'package.json'), path.resolve(__dirname, '..', '..', '..', 'package.json')]) {
    const text = readOrUndefined(candidate);
    if (text) return (JSON.parse(text) as { version: string }).version;
  }
  return '0.0.0';
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await scan(parseScanArgs(rest));
      case 'lsp':
        // The server reads `--stdio` from process.argv, as vscode-languageserver expects.
        require(path.join(__dirname, 'server.js'));
        return -1;
      case '--version':
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
      case '--help': case '-h': case undefined:
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cloudtrail-kms-lint: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`cloudtrail-kms-lint: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    // `lsp` keeps running; every other command sets the exit code once its output is written.
    if (code >= 0) process.exitCode = code;
  });
}
