/**
 * The built language server, started as a user's editor starts it (`cloudtrail-kms-lint lsp
 * --stdio`), driven over JSON-RPC: open a document, edit it without saving, ask for fixes.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CodeActionRequest, ExecuteCommandRequest, HoverRequest, WorkDoneProgress, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, ShutdownRequest,
  StreamMessageReader, StreamMessageWriter, createProtocolConnection,
  type CodeAction, type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../../support/engine';

const TRAIL = 'resource "aws_cloudtrail" "main" {\n  name                       = "main"\n  s3_bucket_name             = "logs"\n  enable_log_file_validation = true\n}\n';
const KEY = 'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n';

describe('language server over stdio', function () {
  this.timeout(30000);
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let workspace: string;
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiters: (() => void)[] = [];

  /** Resolves with the first diagnostics for `uri` that satisfy `accept`; fails with what was seen. */
  const diagnosticsFor = (uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 10000): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = (published.get(uri) ?? []).find((p) => accept(p.diagnostics));
        if (match) resolve(match);
        return match !== undefined;
      };
      if (check()) return;
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; saw ${JSON.stringify(published.get(uri)?.map((p) => p.diagnostics.map((d) => d.code)))}`)), timeoutMs);
      waiters.push(() => {
        if (check()) clearTimeout(timer);
      });
    });

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ctkl-lsp-'));
    fs.writeFileSync(path.join(workspace, 'variables.tf'), 'variable "unused" {\n  default = 1\n}\n');
    server = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'cloudtrail-kms-lint.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      published.set(params.uri, [...(published.get(params.uri) ?? []), params]);
      waiters.forEach((w) => w());
    });
    connection.listen();
    const root = pathToFileURL(workspace).href;
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'ws' }],
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } }, window: { workDoneProgress: true } },
    });
    assert.ok(result.capabilities.codeActionProvider, 'the server offers code actions');
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    try {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
    } finally {
      connection.dispose();
      server.kill();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('reports a trail without a key on open, with the rule and its docs', async () => {
    const uri = pathToFileURL(path.join(workspace, 'main.tf')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text: TRAIL } });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'CTK001');
    assert.equal(diagnostics[0].source, 'cloudtrail-kms-lint');
    assert.equal(diagnostics[0].range.start.line, 0);
    assert.match(diagnostics[0].codeDescription?.href ?? '', /docs\/rules\/CTK001\.md$/);
  });

  it('updates after an unsaved edit and offers the key as a fix', async () => {
    const uri = pathToFileURL(path.join(workspace, 'main.tf')).href;
    // Incremental change: insert a key above the trail.
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `${KEY}\n` }],
    });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.length === 1 && d[0].range.start.line === 4);
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    // The key has no policy, so CloudTrail could not use it: offered after "Create", saying so.
    assert.deepEqual(titles, [
      'Create a KMS key for this trail',
      'Encrypt with aws_kms_key.logs, though its key policy does not let CloudTrail encrypt yet',
      'Suppress CTK001 for aws_cloudtrail.main',
    ]);
    const encrypt = actions.find((a) => a.title.startsWith('Encrypt with aws_kms_key.logs'))!;
    const change = encrypt.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change);
    assert.equal(change.textDocument.version, 2, 'the edit is tied to the document version it was computed for');
    const edit = change.edits[0];
    // Aligned with the trail's other attributes, as terraform fmt would.
    assert.equal('newText' in edit ? edit.newText.trim() : '', 'kms_key_id                 = aws_kms_key.logs.arn');
  });

  it('moves on to the key once the trail uses it: a key without a policy does not let CloudTrail encrypt', async () => {
    const uri = pathToFileURL(path.join(workspace, 'main.tf')).href;
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: `${KEY}\n${TRAIL.replace('  name ', '  kms_key_id                 = aws_kms_key.logs.arn\n  name ')}` }],
    });
    const { diagnostics } = await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'CTK001'));
    const encrypt = diagnostics.find((d) => d.code === 'CTK101');
    assert.ok(encrypt, `expected CTK101 on the key; got ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(encrypt.range.start.line, 0, 'on the key');
    assert.ok(encrypt.relatedInformation?.some((r) => r.location.range.start.line === 4), 'pointing back at the trail');
  });

  it('judges a trail with a variable declared in a file that is only on disk', async () => {
    fs.writeFileSync(path.join(workspace, 'inputs.tf'), 'variable "kms_key_arn" {\n  default = ""\n}\n');
    const uri = pathToFileURL(path.join(workspace, 'trail2.tf')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'terraform', version: 1, text: 'resource "aws_cloudtrail" "b" {\n  kms_key_id = var.kms_key_arn\n  enable_log_file_validation = true\n}\n' },
    });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(diagnostics[0].code, 'CTK001');
    assert.ok(diagnostics[0].relatedInformation?.some((r) => r.location.uri.endsWith('inputs.tf')), 'points at the default that empties it');
  });

  it('reports an OpenTofu document (languageId opentofu), fixes it as HCL, and notes on the .tf file it hides why it is silent', async () => {
    fs.mkdirSync(path.join(workspace, 'tofu'));
    const tofu = pathToFileURL(path.join(workspace, 'tofu', 'main.tofu')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: tofu, languageId: 'opentofu', version: 1, text: TRAIL } });
    const { diagnostics } = await diagnosticsFor(tofu, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['CTK001', 0]]);
    const actions = (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: tofu }, range: diagnostics[0].range, context: { diagnostics } })) as CodeAction[];
    const create = actions.find((a) => a.title === 'Create a KMS key for this trail');
    assert.ok(create, actions.map((a) => a.title).join(' | '));
    const change = create.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change && change.textDocument.uri === tofu);
    assert.ok(change.edits.some((e) => 'newText' in e && e.newText.includes('resource "aws_kms_key"')), 'the key is written in native syntax');

    const hidden = pathToFileURL(path.join(workspace, 'tofu', 'main.tf')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: hidden, languageId: 'terraform', version: 1, text: TRAIL } });
    const note = await diagnosticsFor(hidden, (d) => d.length > 0);
    assert.deepEqual(note.diagnostics.map((d) => [d.code, d.severity]), [[undefined, 3]], 'one information note, no finding');
    assert.match(String(note.diagnostics[0].message), /^OpenTofu loads main\.tofu instead of main\.tf .*nothing in it is checked\.$/);
  });

  it('answers hover on a trail with the chain and what the key policy lacks', async () => {
    const uri = pathToFileURL(path.join(workspace, 'main.tf')).href;
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 12 } });
    const text = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(text, /aws_kms_key\.logs/);
    assert.match(text, /✗/, 'says what is missing');
  });

  it('a key with several findings: each finding once, the trail that uses it given as a related location once, and a hover of links', async () => {
    const uri = pathToFileURL(path.join(workspace, 'keyhover.tf')).href;
    const text = 'resource "aws_kms_key" "hk" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Sid       = "Root"\n        Effect    = "Allow"\n        Principal = { AWS = "arn:aws:iam::111122223333:root" }\n        Action    = "kms:*"\n        Resource  = "*"\n      },\n    ]\n  })\n}\n\nresource "aws_cloudtrail" "ht" {\n  kms_key_id = aws_kms_key.hk.arn\n}\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text } });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'CTK101') && d.some((x) => x.code === 'CTK103'));
    // What the editor's hover on the policy line lists: every diagnostic whose range holds it.
    const atPolicy = diagnostics.filter((d) => d.range.start.line <= 1 && d.range.end.line >= 1);
    assert.deepEqual(atPolicy.map((d) => d.code).sort(), ['CTK101', 'CTK103'], JSON.stringify(diagnostics.map((d) => [d.code, d.range])));
    const backToTrail = atPolicy.flatMap((d) => d.relatedInformation ?? []).filter((r) => /aws_cloudtrail\.ht encrypts its logs with aws_kms_key\.hk/.test(r.message));
    assert.equal(backToTrail.length, 1, JSON.stringify(atPolicy.map((d) => [d.code, d.relatedInformation])));
    assert.equal(backToTrail[0].location.range.start.line, 15, 'the related location is the trail');
    // A diagnostic elsewhere in the file (the trail's own) keeps what it says.
    assert.ok(diagnostics.some((d) => d.code === 'CTK202' && d.range.start.line === 15));

    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 4 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    const lines = value.split('\n').filter((l) => l.trim() !== '');
    // The chain first, then one line per requirement, each naming the place that decides it as a link.
    assert.match(lines[1], /^used by \[aws_cloudtrail\.ht\]\(file:.*keyhover\.tf#L16\) → \[aws_kms_key\.hk\]\(.*#L1\) → \[policy\]\(.*#L2\)/, value);
    const checks = lines.slice(2);
    assert.equal(checks.length, 6, value);
    assert.ok(checks.every((l) => /^- (✓\??|✗|\?) /.test(l)), value);
    assert.match(checks.find((l) => l.includes('CloudTrail can encrypt')) ?? '', /^- ✗ .* · \[keyhover\.tf:2\]\(file:.*keyhover\.tf#L2\)$/, value);
    // No finding's message is repeated in the hover: the editor shows them beside it.
    for (const d of atPolicy) assert.ok(!value.includes(String(d.message).slice(0, 40)), `${d.code}'s message repeated in the hover`);
  });

  it('fixes every key-policy problem of a file with one source.fixAll action', async () => {
    const uri = pathToFileURL(path.join(workspace, 'fixall.tf')).href;
    const text = 'resource "aws_kms_key" "k" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Sid       = "Root"\n        Effect    = "Allow"\n        Principal = { AWS = "arn:aws:iam::111122223333:root" }\n        Action    = "kms:*"\n        Resource  = "*"\n      },\n    ]\n  })\n}\n\nresource "aws_cloudtrail" "t" {\n  kms_key_id = aws_kms_key.k.arn\n}\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text } });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'CTK101'));
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics, only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all CloudTrail key-policy problems in this file', 'source.fixAll.cloudtrailKmsLint']]);
    const change = actions[0].edit?.documentChanges?.[0];
    assert.ok(change && 'edits' in change);
    const edit = change.edits[0];
    assert.ok('newText' in edit);
    const lines = text.split('\n');
    const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    const fixed = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'CTK101'));
    const left = after.diagnostics.map((d) => String(d.code)).filter((c) => /^CTK1/.test(c));
    assert.deepEqual(left, [], `left after fix-all: ${left.join(', ')}`);
  });

  it('offers fix-all in the light-bulb menu (quickfix kind) when the file has two or more fixable key-policy findings', async () => {
    const uri = pathToFileURL(path.join(workspace, 'lightbulb.tf')).href;
    const text = 'resource "aws_kms_key" "k" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n      {\n        Sid       = "Root"\n        Effect    = "Allow"\n        Principal = { AWS = "arn:aws:iam::111122223333:root" }\n        Action    = "kms:*"\n        Resource  = "*"\n      },\n    ]\n  })\n}\n\nresource "aws_cloudtrail" "t" {\n  kms_key_id = aws_kms_key.k.arn\n}\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text } });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'CTK101'));
    const policy = diagnostics.filter((d) => /^CTK(1|20)/.test(String(d.code)));
    assert.ok(policy.length >= 2, `key-policy findings: ${policy.map((d) => d.code).join(', ')}`);
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: policy[0].range, context: { diagnostics: [policy[0]], only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const fixAllActions = actions.filter((a) => a.title === 'Fix all CloudTrail key-policy problems in this file');
    assert.deepEqual(fixAllActions.map((a) => a.kind), [CodeActionKind.QuickFix]);
    assert.ok(actions.length > fixAllActions.length, 'the finding\'s own fixes come first');
    assert.equal(actions[actions.length - 1], fixAllActions[0]);
  });

  it('reports a CloudFormation YAML template after the typing pause, and fixes it in the template\'s style', async () => {
    const uri = pathToFileURL(path.join(workspace, 'template.yaml')).href;
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  LogsKey:\n    Type: AWS::KMS::Key\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      EnableLogFileValidation: true\n      S3BucketName: !Ref Bucket\n      KmsKeyId: !GetAtt LogsKey.Arn\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const { diagnostics } = await diagnosticsFor(uri, (d) => d.some((x) => x.code === 'CTK001'));
    const trail = diagnostics.find((d) => d.code === 'CTK001')!;
    assert.equal(trail.range.start.line, 10, 'on the misspelled property');
    assert.match(typeof trail.message === 'string' ? trail.message : trail.message.value, /did you mean KMSKeyId/);
    const actions = (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: trail.range, context: { diagnostics: [trail] } })) as CodeAction[];
    const rename = actions.find((a) => a.title.startsWith('Encrypt with LogsKey')) ?? actions.find((a) => a.title.startsWith('Rename'));
    assert.ok(rename, actions.map((a) => a.title).join(' | '));
    const change = rename.edit?.documentChanges?.[0];
    assert.ok(change && 'edits' in change);
    const lines = text.split('\n');
    const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    let fixed = text;
    for (const edit of [...change.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
      assert.ok('newText' in edit);
      fixed = fixed.slice(0, offset(edit.range.start)) + edit.newText + fixed.slice(offset(edit.range.end));
    }
    assert.match(fixed, /\n {6}KMSKeyId: !GetAtt LogsKey\.Arn\n/, 'short form, at the property\'s indentation');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    await diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'CTK001'));
  });

  it('lists the workspace\'s trails, with their key chain and requirements, to any client that asks', async () => {
    fs.mkdirSync(path.join(workspace, 'other'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'other', 'trail.tf'), 'resource "aws_cloudtrail" "other" {\n  name = "other"\n}\n');
    const result = await connection.sendRequest<{ trails: { address: string; location: { uri: string }; chains: { address: string }[][]; requirements: { id: string; mark: string }[] }[] }>('cloudtrailKmsLint/trails', {});
    const byAddress = new Map(result.trails.map((t) => [`${path.basename(new URL(t.location.uri).pathname)}:${t.address}`, t]));
    // An open document counts with its unsaved text: main.tf's trail now uses the key.
    const main = byAddress.get('main.tf:aws_cloudtrail.main');
    assert.ok(main, JSON.stringify(result.trails.map((t) => [t.location.uri, t.address])));
    assert.deepEqual(main.chains.map((c) => c.map((s) => s.address)), [['aws_cloudtrail.main', 'aws_kms_key.logs', 'default key policy']]);
    assert.equal(main.requirements.find((r) => r.id === 'encrypt')?.mark, 'unmet');
    // A file nobody opened is listed too.
    const other = byAddress.get('trail.tf:aws_cloudtrail.other');
    assert.ok(other, [...byAddress.keys()].join(', '));
    assert.deepEqual(other.chains, []);
  });

  it('reports a workspace scan\'s progress on the client\'s token ("N of M files" and the folder), and its counts', async () => {
    const token = 'scan-progress-test';
    const reports: { kind: string; message?: string; cancellable?: boolean }[] = [];
    const listener = connection.onProgress(WorkDoneProgress.type, token, (value) => { reports.push(value); });
    try {
      const summary = await connection.sendRequest(ExecuteCommandRequest.type, { command: 'cloudtrailKmsLint.server.scanWorkspace', arguments: [{}], workDoneToken: token }) as
        { files: number; findings: number; filesWithFindings: number; cancelled: boolean };
      assert.equal(summary.cancelled, false);
      assert.ok(summary.files >= 2, JSON.stringify(summary));
      assert.ok(summary.filesWithFindings >= 1 && summary.findings >= summary.filesWithFindings, JSON.stringify(summary));
      await diagnosticsFor(pathToFileURL(path.join(workspace, 'other', 'trail.tf')).href, (d) => d.some((x) => x.code === 'CTK001'));
    } finally {
      listener.dispose();
    }
    assert.equal(reports[0]?.kind, 'begin');
    assert.equal(reports[0]?.cancellable, true, 'the client may offer Cancel');
    assert.equal(reports[reports.length - 1]?.kind, 'end');
    const messages = reports.map((r) => r.message ?? '');
    assert.ok(messages.some((m) => /^\d+ of \d+ files · other$/.test(m)), messages.join(' | '));
  });
  it('12-wasm-memory-exhaustion: a million "${" in a string are read in bounded time and memory, with no note, and the next Terraform file is still checked', async () => {
    const cases = path.resolve(repoRoot(), '..', 'shared', 'robustness-cases', '12-wasm-memory-exhaustion');
    fs.mkdirSync(path.join(workspace, 'huge'));
    const hostile = pathToFileURL(path.join(workspace, 'huge', 'a.tf')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: hostile, languageId: 'terraform', version: 1, text: fs.readFileSync(path.join(cases, 'a.tf'), 'utf8') } });
    // A key without a trail: nothing to report, and no "not checked" note either.
    const { diagnostics } = await diagnosticsFor(hostile, () => true, 20000);
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    const normal = pathToFileURL(path.join(workspace, 'huge-neighbour.tf')).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: normal, languageId: 'terraform', version: 1, text: fs.readFileSync(path.join(cases, 'other', 'normal.tf'), 'utf8') } });
    await diagnosticsFor(normal, (d) => d.some((x) => x.code === 'CTK001'));
    const peak = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024;
    assert.ok(peak < 1024, `the server grew to ${peak.toFixed(0)} MB`);
  });
});
