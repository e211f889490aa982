// Helpers for the real-editor suite. Everything waits on a condition with a generous bound and,
// when the bound expires, fails with what it saw: CI reruns are not a debugging tool.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const SOURCE = 'cloudtrail-kms-lint';
export const TRAIL_RULE = 'CTK001';

/** `publisher.name` from the repository's manifest: out/test/suite → repo root. */
export const EXTENSION_ID = (() => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  return `${manifest.publisher}.${manifest.name}`;
})();

/** Long enough for a cold language server on a busy 2-core CI machine. */
export const WAIT_MS = 45_000;

// Fail fast when the server is plainly not working: once a full wait for our diagnostics has
// expired without any ever appearing in this run, later waits for them get a short bound, so a
// dead server costs one long wait instead of one per test (and stays inside the runner's bound).
const SILENT_SERVER_WAIT_MS = 10_000;
let seenOurDiagnostics = false;
let silentServer = false;
const appearanceBound = () => (!seenOurDiagnostics && silentServer ? SILENT_SERVER_WAIT_MS : WAIT_MS);

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  seen: () => string,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      // A provider can throw while the server is still starting; keep polling, report it if it lasts.
      lastError = err;
    }
    if (Date.now() > deadline) {
      const error = lastError ? `\nlast error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\nsaw: ${seen()}${error}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run has no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

/** Opens through the API (not keyboard shortcuts), as a non-preview editor. */
export async function openFile(relativePath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Drops unsaved changes and closes the editor, so one test's edits never leak into the next. */
export async function revertAndClose(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Diagnostic codes may be plain or `{ value, target }` (a link to the rule's docs). */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export const isOurs = (rule: string) => (d: vscode.Diagnostic) => d.source === SOURCE && codeOf(d) === rule;

export function ruleDiagnostics(uri: vscode.Uri, rule = TRAIL_RULE): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(isOurs(rule));
}

const SEVERITY_NAMES = ['Error', 'Warning', 'Information', 'Hint'];

export function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(no diagnostics)';
  return diagnostics.map((d) =>
    `${d.source}/${codeOf(d)} ${SEVERITY_NAMES[d.severity]} ` +
    `L${d.range.start.line + 1}:${d.range.start.character + 1}-L${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`,
  ).join('\n     ');
}

export const seenIn = (uri: vscode.Uri) => () =>
  `${vscode.workspace.asRelativePath(uri)}: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`;

/** Waits until `uri` has at least `count` diagnostics of `rule`, and returns them. */
export async function waitForRule(uri: vscode.Uri, rule = TRAIL_RULE, count = 1): Promise<vscode.Diagnostic[]> {
  const bound = appearanceBound();
  try {
    const found = await waitFor(
      `${count} ${rule} diagnostic(s) from ${SOURCE} in ${vscode.workspace.asRelativePath(uri)}`,
      () => { const found = ruleDiagnostics(uri, rule); return found.length >= count && found; },
      seenIn(uri),
      bound,
    );
    seenOurDiagnostics = true;
    return found;
  } catch (err) {
    seenOurDiagnostics ||= vscode.languages.getDiagnostics().some(([, list]) => list.some((d) => d.source === SOURCE));
    if (!seenOurDiagnostics) {
      silentServer = true;
      if (err instanceof Error) err.message += `\n(no ${SOURCE} diagnostic anywhere yet: later waits for one are cut to ${SILENT_SERVER_WAIT_MS / 1000} s)`;
    }
    throw err;
  }
}

export function waitForNoRule(uri: vscode.Uri, rule = TRAIL_RULE): Promise<true> {
  return waitFor(
    `no ${rule} diagnostic in ${vscode.workspace.asRelativePath(uri)}`,
    () => ruleDiagnostics(uri, rule).length === 0,
    seenIn(uri),
  );
}

/**
 * Lines [start, end] of a block: a Terraform block from its header to its closing `}` at
 * column 0, or a YAML mapping entry from its key to the last line indented deeper than it.
 */
export function blockLines(doc: vscode.TextDocument, header: RegExp): { start: number; end: number } {
  const lines = doc.getText().split(/\r?\n/);
  const start = lines.findIndex((line) => header.test(line));
  assert.ok(start >= 0, `no line matching ${header} in ${doc.uri.path}`);
  const indent = (line: string) => line.length - line.trimStart().length;
  let end = start;
  if (lines[start].trimEnd().endsWith('{')) {
    while (end < lines.length - 1 && lines[end] !== '}') end++;
  } else {
    while (end + 1 < lines.length && (lines[end + 1].trim() === '' || indent(lines[end + 1]) > indent(lines[start]))) end++;
  }
  return { start, end };
}

export const terraformBlock = (doc: vscode.TextDocument, type: string, name: string) =>
  blockLines(doc, new RegExp(`^resource\\s+"${type}"\\s+"${name}"\\s*\\{`));

export const yamlResource = (doc: vscode.TextDocument, logicalId: string) =>
  blockLines(doc, new RegExp(`^\\s+${logicalId}:\\s*$`));

export const inBlock = (block: { start: number; end: number }) => (d: vscode.Diagnostic) =>
  d.range.start.line >= block.start && d.range.start.line <= block.end;

type Action = vscode.CodeAction | vscode.Command;

const titlesOf = (actions: readonly Action[] | undefined) =>
  (actions ?? []).map((a) => JSON.stringify(a.title)).join(', ') || '(no code actions)';

/**
 * Asks VS Code for the code actions at a diagnostic, the way the light bulb does, until a title
 * starts with one of `titlePrefixes` (the first prefix that matches wins). Matching by title
 * matters: built-in features (chat, for one) add actions of their own.
 */
export async function findQuickFix(
  doc: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  ...titlePrefixes: string[]
): Promise<Action> {
  let last: Action[] | undefined;
  const wanted = titlePrefixes.map((p) => `"${p}…"`).join(' or ');
  return waitFor(
    `a code action titled ${wanted} at ${vscode.workspace.asRelativePath(doc.uri)}:${diagnostic.range.start.line + 1}`,
    async () => {
      // The last argument makes VS Code resolve lazily computed edits (codeAction/resolve).
      last = await vscode.commands.executeCommand<Action[]>(
        'vscode.executeCodeActionProvider', doc.uri, diagnostic.range, undefined, 100);
      for (const prefix of titlePrefixes) {
        const action = last?.find((a) => a.title.startsWith(prefix));
        if (action) return action;
      }
      return undefined;
    },
    () => `actions: ${titlesOf(last)}\n     diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(doc.uri))}`,
  );
}

/** Applies a code action the way the workbench does: its edit first, then its command. */
export async function applyAction(action: Action): Promise<void> {
  if ('command' in action && typeof action.command === 'string') {
    const command = action as vscode.Command;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    return;
  }
  const codeAction = action as vscode.CodeAction;
  assert.ok(codeAction.edit || codeAction.command, `code action "${codeAction.title}" has neither an edit nor a command`);
  if (codeAction.edit) {
    assert.ok(await vscode.workspace.applyEdit(codeAction.edit), `VS Code refused the edit of "${codeAction.title}"`);
  }
  if (codeAction.command) {
    await vscode.commands.executeCommand(codeAction.command.command, ...(codeAction.command.arguments ?? []));
  }
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  return waitFor(`${EXTENSION_ID} to activate`, () => extension.isActive && extension, () => `isActive=${extension.isActive}`);
}

export function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((hover) => hover.contents).map((content) =>
    typeof content === 'string' ? content : content.value).join('\n---\n');
}
