/**
 * The VS Code side: starts the language server, contributes the commands and one status
 * item. Everything that can be done over LSP is done in the server.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type ConfigurationMiddleware, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SHOW_RULE_COMMAND, ruleDocLinks, showRuleDoc } from './ruleDocs';
import { scanWithProgress } from './scanProgress';
import { TrailsView } from './trailsView';

const SECTION = 'cloudtrailKmsLint';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem | undefined;
let trailsView: TrailsView | undefined;

/** What the extension hands its tests (`vscode.extensions.getExtension(…).exports`). */
export interface ExtensionApi {
  trails(): Promise<readonly unknown[]>;
}

/**
 * What the extension reads (Terraform, OpenTofu, CloudFormation, key-policy JSON, CDK apps in
 * TypeScript), as document selectors. A TypeScript file outside a CDK app is synchronised but
 * never parsed: the server answers it from a look at the nearest package.json.
 */
const DOCUMENTS: DocumentSelector = [
  { scheme: 'file', language: 'terraform' },
  { scheme: 'file', language: 'opentofu' },
  { scheme: 'file', pattern: '**/*.{tf,tofu,tfvars}' },
  { scheme: 'file', pattern: '**/*.{tf,tofu}.json' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'file', pattern: '**/*.template' },
  { scheme: 'file', language: 'typescript' },
];

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The server keeps its compiled code in the extension's own storage between starts.
  const env = { ...process.env, CLOUDTRAIL_KMS_LINT_CACHE_DIR: path.join(context.globalStorageUri.fsPath, 'compile-cache') };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('CloudTrail KMS Lint', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENTS,
    outputChannel: output,
    synchronize: {
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{tf,tofu,tfvars,json,yaml,yml,template,ts}'),
    },
    initializationOptions: { docsBaseUri: vscode.Uri.file(context.asAbsolutePath(path.join('docs', 'rules'))).toString() },
    middleware: { handleDiagnostics: ruleDocLinks, workspace: { configuration: explicitSettingsOnly } },
  };
  client = new LanguageClient('cloudtrailKmsLint', 'CloudTrail KMS Lint', serverOptions, clientOptions);

  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 0);
  status.name = 'CloudTrail KMS Lint';
  status.command = `${SECTION}.showOutput`;
  context.subscriptions.push(status, output, client.onDidChangeState(({ newState }) => showState(newState)));

  const commands: Record<string, () => unknown> = {
    [`${SECTION}.scanWorkspace`]: () => scanWorkspace(),
    [`${SECTION}.clearScanResults`]: () => client?.sendRequest('workspace/executeCommand', { command: `${SECTION}.server.clearScanResults`, arguments: [] }),
    [`${SECTION}.restartServer`]: () => client?.restart(),
    [`${SECTION}.showOutput`]: () => output.show(true),
    [`${SECTION}.refreshTrails`]: () => trailsView?.refresh(true),
  };
  for (const [id, run] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, run));
  context.subscriptions.push(vscode.commands.registerCommand(SHOW_RULE_COMMAND, (ruleId: unknown) => showRuleDoc(context.extensionUri, ruleId)));
  trailsView = new TrailsView(client, filesExclude);
  context.subscriptions.push(trailsView);

  try {
    await client.start();
  } catch (error) {
    void vscode.window.showErrorMessage(`CloudTrail KMS Lint could not start its language server: ${String(error)}. See the "CloudTrail KMS Lint" output for details.`, 'Show Output')
      .then((choice) => choice && output.show());
  }
  trailsView.refreshSoon(0);
  return { trails: async () => (await trailsView?.refresh()) ?? [] };
}

/**
 * Settings a project's `.cloudtrail-kms-lint.json` also sets, whose default is not empty: the
 * server puts the file's values under the user's. (`rules` defaults to `{}` and merges per id.)
 */
const PROJECT_OVERRIDABLE = ['exclude', 'maxFileSize', 'timeLimit'];

/**
 * Answers the server's request for this extension's settings with the values the user set
 * (user, workspace or folder) for the settings the project file can also set, leaving out
 * their defaults: otherwise a default would hide the project file's value.
 */
const explicitSettingsOnly: ConfigurationMiddleware['configuration'] = async (params, token, next) => {
  const values = await next(params, token);
  if (!Array.isArray(values)) return values;
  return values.map((value, i) => {
    const item = params.items[i];
    if (item.section !== SECTION || typeof value !== 'object' || value === null) return value;
    const config = vscode.workspace.getConfiguration(SECTION, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
    const answer: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of PROJECT_OVERRIDABLE) {
      const set = config.inspect(key);
      const explicit = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
      if (explicit === undefined) delete answer[key];
      else answer[key] = explicit;
    }
    return answer;
  });
};

/** Runs the server's scan in a cancellable notification; the CloudTrail view refreshes after it. */
async function scanWorkspace(): Promise<unknown> {
  if (!client) return undefined;
  return scanWithProgress(client, filesExclude(), () => trailsView?.refreshSoon(0));
}

/** VS Code's `files.exclude` globs that are on: the scan and the view skip them too. */
function filesExclude(): string[] {
  return Object.entries(vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {})
    .filter(([, on]) => on)
    .map(([glob]) => glob);
}

function showState(state: State): void {
  if (!status) return;
  if (state === State.Running) {
    status.text = '$(shield) CloudTrail KMS';
    status.tooltip = 'CloudTrail KMS Lint is running. Click for its output.';
    status.backgroundColor = undefined;
  } else if (state === State.Starting) {
    status.text = '$(sync~spin) CloudTrail KMS';
    status.tooltip = 'CloudTrail KMS Lint is starting.';
  } else {
    status.text = '$(error) CloudTrail KMS';
    status.tooltip = 'CloudTrail KMS Lint has stopped. Click for its output; run "CloudTrail KMS Lint: Restart Server" to start it again.';
    status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }
  status.show();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
