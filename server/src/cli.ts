/**
 * The CI command: `cloudtrail-kms-lint scan PATH… [--format text|json|sarif] [--fail-on …]`,
 * and `cloudtrail-kms-lint lsp --stdio`, which runs the language server for any LSP client.
 *
 * Exit codes: 0 clean, 1 a finding at or above --fail-on that is not suppressed, 2 a usage or
 * input error, nothing to check, or a file that could not be checked (said on stderr, after
 * the report, which is always written).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from './engine';
import { uriToPath } from './diskHost';
import { scanFiles, type WorkerOptions } from './scan/parallelScan';
import { walkFiles } from './walk';
import { formatJson } from './report/json';
import { formatText } from './report/text';
import { formatSarif } from './report/sarif';
import { fingerprints } from './report/fingerprint';
import { readBaseline, writeBaseline } from './report/baseline';
import type { ReportedFinding, ScanResult, UncheckedFile } from './report/types';
import { parseScanArgs, UsageError, type ScanOptions } from './cliArgs';
import { DEFAULT_CONFIG, findProjectConfig, mergeConfig, repositoryRoot, PROJECT_CONFIG_FILE, readProjectConfig, type EffectiveConfig, type ProjectConfig } from './projectConfig';

const USAGE = `Usage:
  cloudtrail-kms-lint scan PATH... [options]
  cloudtrail-kms-lint lsp --stdio
  cloudtrail-kms-lint --version | --help

scan    checks Terraform, CloudFormation, plan and key-policy files, and saved AWS CLI output, below each PATH.
  --format text|json|sarif      report format (default: text)
  --fail-on error|warning|information|none
                                exit 1 when an unsuppressed finding is at or above this (default: warning)
  --output-file FILE            write the report to FILE instead of stdout
  --config FILE                 the project configuration (default: the nearest ${PROJECT_CONFIG_FILE}
                                in the first PATH or a folder above it, up to the repository root)
  --rule ID=SEVERITY            error, warning, information, hint or off; repeatable; wins over the config
  --exclude GLOB                skip files matching GLOB (relative to each PATH); repeatable
  --max-file-size BYTES         skip larger files (default: 5 MB)
  --time-limit MS               stop analysing a file after this long; it is listed as not checked (default: 3000)
  --baseline FILE               report and fail only on findings not in FILE
  --write-baseline FILE         write the current findings to FILE (they are then accepted)
  --docs-url URL                public base URL of the rule docs, for SARIF helpUri
  --sarif-root DIR              SARIF paths are relative to DIR (default: the repository root)
  --allow-empty                 a scan that finds no file to check passes instead of exiting 2
                                (so does any scan with --fail-on none: it only says so)

Exit codes: 0 clean; 1 a finding at or above --fail-on; 2 a usage error, a path that does not
exist, nothing to check, or a file that could not be checked (the report is still written).
lsp     runs the language server on stdin/stdout.`;

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Something the user must fix before the scan can run (a missing path, a broken config): exit 2. */
class InputError extends Error {}

/** Runs a scan and writes its report; resolves with the exit code. `workers` is how the files are analysed off this thread. */
export async function scan(options: ScanOptions, workers: WorkerOptions = {}): Promise<number> {
  const started = Date.now();
  const paths = options.paths.map((p) => path.resolve(p));
  for (const p of paths) if (!fs.existsSync(p)) throw new InputError(`${p} does not exist`);
  const config = effectiveConfig(options, paths[0]);
  // Read before the scan, so a wrong path fails at once rather than after the whole scan.
  const known = options.baseline ? readBaseline(options.baseline) : undefined;
  // Paths in the report are relative to the one folder scanned, else to the working directory.
  const root = paths.length === 1 && fs.statSync(paths[0]).isDirectory() ? paths[0] : process.cwd();
  const skipped = new Set<string>();
  const warn = (filePath: string, reason: string): void => {
    skipped.add(filePath);
    process.stderr.write(`cloudtrail-kms-lint: skipped ${filePath}: ${reason}\n`);
  };
  const relative = (filePath: string): string => path.relative(root, filePath).split(path.sep).join('/');
  const readRoots = paths.map((p) => (fs.statSync(p).isDirectory() ? p : path.dirname(p)));
  const files = [...walkFiles(paths, { exclude: config.exclude, onSkip: warn })];
  const findings: ReportedFinding[] = [];
  const unchecked: UncheckedFile[] = [];
  const analysed: string[] = [];
  await scanFiles(files, { roots: readRoots, maxFileSize: config.maxFileSize, config: { rules: config.rules, timeLimitMs: config.timeLimit } }, {
    onResult: (filePath, found) => {
      analysed.push(filePath);
      const file = relative(filePath);
      for (const finding of found) findings.push({ finding, file });
    },
    onSkip: warn,
    onError: (filePath, error) => unchecked.push({ file: relative(filePath), reason: firstLine(error) }),
  }, workers);
  // Workers finish in any order: report in a stable one.
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.finding.range.start.line - b.finding.range.start.line || a.finding.range.start.character - b.finding.range.start.character || (a.finding.ruleId < b.finding.ruleId ? -1 : 1)));
  unchecked.sort((a, b) => (a.file < b.file ? -1 : 1));
  const prints = fingerprints(findings, (_file, uri) => readOrUndefined(uriToPath(uri) ?? ''));
  findings.forEach((f, i) => { f.fingerprint = prints[i]; });

  if (options.writeBaseline) {
    writeBaseline(options.writeBaseline, findings.filter((f) => !f.finding.suppressedBy).map(({ finding, file, fingerprint }) => ({ ruleId: finding.ruleId, file, resource: finding.resource, fingerprint: fingerprint ?? '' })));
  }
  const reported = known ? findings.filter((f) => !known.has(f.fingerprint ?? '')) : findings;
  const result: ScanResult = { root, findings: reported, files: files.length, ms: Date.now() - started, unchecked, baselined: findings.length - reported.length };
  const output = `${render(result, options)}\n`;
  if (options.outputFile) fs.writeFileSync(options.outputFile, output);
  else process.stdout.write(output);

  if (options.writeBaseline) process.stderr.write(`cloudtrail-kms-lint: wrote ${findings.filter((f) => !f.finding.suppressedBy).length} findings to the baseline ${options.writeBaseline}\n`);
  if (unchecked.length > 0) {
    process.stderr.write(`cloudtrail-kms-lint: ${unchecked.length} file${unchecked.length === 1 ? '' : 's'} could not be checked:\n${unchecked.map((u) => `  ${u.file}: ${u.reason}\n`).join('')}`);
    return 2;
  }
  // A file that was found but skipped (binary, too large, outside the roots) was not checked.
  const checked = analysed.filter((f) => !skipped.has(f)).length;
  if (checked === 0 && !options.allowEmpty) {
    const nothing = `nothing was checked: no Terraform, CloudFormation, plan or key-policy file below ${options.paths.join(', ')}${files.length > 0 ? ' could be read' : ''}`;
    // A report-only run (`--fail-on none`) fails on what the command could not do, never on
    // what the folders hold; an empty folder is said, not failed. A missing path still exits 2.
    if (options.failOn === 'none') {
      process.stderr.write(`cloudtrail-kms-lint: ${nothing} (a report-only run, --fail-on none, passes)\n`);
      return 0;
    }
    process.stderr.write(`cloudtrail-kms-lint: ${nothing} (pass --allow-empty if that is expected)\n`);
    return 2;
  }
  if (options.writeBaseline) return 0;
  const failing = options.failOn === 'none' ? [] : reported.filter((f) => !f.finding.suppressedBy && RANK[f.finding.severity] >= RANK[options.failOn as Severity]);
  return failing.length > 0 ? 1 : 0;
}

/** Defaults, then the project file (or --config), then the command line. */
function effectiveConfig(options: ScanOptions, firstPath: string): EffectiveConfig {
  const file = options.config ? path.resolve(options.config) : findProjectConfig(firstPath);
  if (options.config && !fs.existsSync(file!)) throw new InputError(`--config ${options.config} does not exist`);
  let project: ProjectConfig = {};
  try {
    if (file) project = readProjectConfig(file);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  return mergeConfig(DEFAULT_CONFIG, project, { rules: options.rules, exclude: options.exclude, maxFileSize: options.maxFileSize, timeLimit: options.timeLimit });
}

const firstLine = (text: string): string => text.split('\n')[0];

function render(result: ScanResult, options: ScanOptions): string {
  if (options.format === 'json') return formatJson(result);
  if (options.format === 'sarif') {
    const docs = path.resolve(__dirname, '..', 'docs', 'rules');
    return formatSarif(result, {
      toolVersion: packageInfo().version,
      docsBaseUrl: options.docsUrl ?? (packageInfo().repository ? `${packageInfo().repository}/blob/main/docs/rules` : undefined),
      readRuleDoc: (id) => readOrUndefined(path.join(docs, `${id}.md`)),
      sarifRoot: options.sarifRoot ? path.resolve(options.sarifRoot) : repositoryRoot(result.root) ?? result.root,
    });
  }
  const toTerminal = !options.outputFile && process.stdout.isTTY === true && !process.env.NO_COLOR;
  return formatText(result, toTerminal);
}

function readOrUndefined(filePath: string): string | undefined {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
}

/** The installed package's version and public repository URL (package.json beside dist/, or the source tree's). */
function packageInfo(): { version: string; repository?: string } {
  for (const candidate of [path.resolve(__dirname, '..', 'package.json'), path.resolve(__dirname, '..', '..', '..', 'package.json')]) {
    const text = readOrUndefined(candidate);
    if (!text) continue;
    const json = JSON.parse(text) as { version: string; repository?: string | { url?: string } };
    const url = typeof json.repository === 'string' ? json.repository : json.repository?.url;
    return { version: json.version, repository: url?.replace(/^git\+/, '').replace(/\.git$/, '') };
  }
  return { version: '0.0.0' };
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan': {
        const options = parseScanArgs(rest);
        if (options.help) {
          process.stdout.write(`${USAGE}\n`);
          return 0;
        }
        return await scan(options);
      }
      case 'lsp':
        // The server reads `--stdio` from process.argv, as vscode-languageserver expects.
        require(path.join(__dirname, 'server.js'));
        return -1;
      case '--version':
        process.stdout.write(`${packageInfo().version}\n`);
        return 0;
      case '--help': case '-h':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case undefined:
        throw new UsageError('a command is needed: scan or lsp');
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cloudtrail-kms-lint: ${error.message}\nRun 'cloudtrail-kms-lint --help' for the options.\n`);
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
