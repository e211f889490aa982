/**
 * The editor and CI agree: every example file opened in the language server (as VS Code opens
 * it) gets the diagnostics the CLI reports for the same file, with the same project
 * configuration file, and with a user setting that overrides the project file's value as the
 * matching `--rule` does.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest, DidOpenTextDocumentNotification, ExitNotification, InitializeRequest, InitializedNotification,
  PublishDiagnosticsNotification, RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter, createProtocolConnection,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../../support/engine';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];
const LANGUAGE: Record<string, string> = { '.tf': 'terraform', '.yaml': 'yaml', '.json': 'json' };

/** Every file of a folder the server and the CLI read, relative, `/`-separated. */
function filesBelow(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => LANGUAGE[path.extname(f)] && !path.basename(f).startsWith('.'))
    .sort();
}

/** Opens every file in a fresh server and returns its diagnostics once they stop changing. */
async function editorFindings(workspace: string, userSettings: Record<string, unknown> | undefined): Promise<string[]> {
  const server = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const latest = new Map<string, Diagnostic[]>();
  let lastPublish = Date.now();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    latest.set(params.uri, params.diagnostics);
    lastPublish = Date.now();
  });
  // A client that can be asked for settings answers as VS Code's does: only what the user set.
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => userSettings ?? {}));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  try {
    const root = pathToFileURL(workspace).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'ws' }],
      capabilities: { workspace: { configuration: userSettings !== undefined } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    // Settings are read after `initialized`: open the files once they are in.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const files = filesBelow(workspace);
    for (const file of files) {
      const uri = pathToFileURL(path.join(workspace, file)).href;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: LANGUAGE[path.extname(file)], version: 1, text: fs.readFileSync(path.join(workspace, file), 'utf8') },
      });
    }
    const started = Date.now();
    while (Date.now() - lastPublish < 1500 || latest.size < files.length) {
      if (Date.now() - started > 30000) throw new Error(`diagnostics for ${latest.size} of ${files.length} files`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const out: string[] = [];
    for (const file of files) {
      for (const d of latest.get(pathToFileURL(path.join(workspace, file)).href) ?? []) {
        out.push(`${d.code} ${SEVERITY[d.severity ?? 1]} ${file}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`);
      }
    }
    return out.sort();
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    server.kill();
  }
}

function cliFindings(workspace: string, args: string[]): string[] {
  const result = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js'), 'scan', workspace, '--format', 'json', '--fail-on', 'none', ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  type F = { ruleId: string; severity: string; file: string; line: number; column: number; endLine: number; endColumn: number; suppressed: boolean };
  return (JSON.parse(result.stdout).findings as F[])
    .filter((f) => !f.suppressed)
    .map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn}`)
    .sort();
}

describe('the editor and the CLI give the same findings', function () {
  this.timeout(120000);
  let workspace: string;
  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-parity-'));
    fs.cpSync(path.join(repoRoot(), 'examples'), workspace, { recursive: true });
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('on the examples, with no configuration', async () => {
    const cli = cliFindings(workspace, []);
    assert.ok(cli.length >= 5, cli.join('\n'));
    assert.deepEqual(await editorFindings(workspace, undefined), cli);
  });

  it('with a project configuration file, which both read', async () => {
    const before = cliFindings(workspace, []);
    fs.writeFileSync(path.join(workspace, '.cloudtrail-kms-lint.json'), JSON.stringify({ rules: { CTK001: 'error', CTK104: 'off', ctk201: 'warning' } }));
    try {
      const cli = cliFindings(workspace, []);
      assert.notDeepEqual(cli, before, 'the configuration changes the findings');
      assert.ok(cli.some((f) => f.startsWith('CTK001 error ')));
      assert.ok(!cli.some((f) => f.startsWith('CTK104 ')));
      assert.ok(before.some((f) => f.startsWith('CTK104 ')), 'the example has a CTK104 to turn off');
      assert.deepEqual(await editorFindings(workspace, undefined), cli);
      // The user's setting sits above the project file, as --rule does on the command line.
      const overridden = cliFindings(workspace, ['--rule', 'CTK001=information']);
      assert.ok(overridden.some((f) => f.startsWith('CTK001 information ')));
      assert.deepEqual(await editorFindings(workspace, { rules: { CTK001: 'information' } }), overridden);
    } finally {
      fs.rmSync(path.join(workspace, '.cloudtrail-kms-lint.json'));
    }
  });
});
