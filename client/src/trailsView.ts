/**
 * The "CloudTrail" view in the Explorer: every trail of the workspace, its key (through alias,
 * variable or module) and one line per requirement marked ✓/✗/?, each opening where it is
 * decided. The data is the server's `cloudtrailKmsLint/trails` answer; the view asks again
 * when files change, after a scan and when settings change, and only while it is visible.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
// Types only (the JSON of server/src/lsp/trails.ts): nothing of the server is bundled into the client.
import type { Mark, TrailOverview } from '../../server/src/engine';
import type { TrailsParams, TrailsResult } from '../../server/src/lsp/trails';
import type { Location as LspLocation } from '../../server/src/engine/types';

export const TRAILS_REQUEST = 'cloudtrailKmsLint/trails';
export const VIEW_ID = 'cloudtrailKmsLint.trails';

type RequirementLine = TrailOverview['requirements'][number];

type Node =
  | { kind: 'trail'; trail: TrailOverview }
  | { kind: 'key'; label: string; location?: LspLocation }
  | { kind: 'requirement'; line: RequirementLine };

const ICONS: Record<Mark, vscode.ThemeIcon> = {
  met: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  likely: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconQueued')),
  unmet: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  unknown: new vscode.ThemeIcon('question'),
};
const MARKS: Record<Mark, string> = { met: '✓', likely: '✓?', unmet: '✗', unknown: '?' };
const REFRESH_DELAY_MS = 400;
const EXPANDED_UP_TO = 10;

export class TrailsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private trails: TrailOverview[] | undefined;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient, private readonly exclude: () => string[]) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    const later = (): void => this.refreshSoon();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{tf,tofu,json,yaml,yml,template}');
    this.disposables.push(this.view, watcher, this.changed,
      watcher.onDidChange(later), watcher.onDidCreate(later), watcher.onDidDelete(later),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length > 0) later(); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('cloudtrailKmsLint')) later(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(later),
      this.view.onDidChangeVisibility(({ visible }) => { if (visible && this.stale) this.refreshSoon(0); }));
  }

  /** The trails last shown (for tests and the walkthrough). */
  get current(): readonly TrailOverview[] | undefined {
    return this.trails;
  }

  refreshSoon(delay = REFRESH_DELAY_MS): void {
    this.stale = true;
    clearTimeout(this.timer);
    if (!this.view.visible) return;
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  /** `reload`: the server reads the whole workspace again instead of what changed (the view's Refresh button). */
  async refresh(reload = false): Promise<readonly TrailOverview[]> {
    this.stale = false;
    const result = await this.client.sendRequest<TrailsResult>(TRAILS_REQUEST, { exclude: this.exclude(), reload } satisfies TrailsParams);
    this.trails = result.trails;
    const bad = result.trails.filter((t) => t.requirements.some((r) => r.mark === 'unmet')).length;
    this.view.message = result.trails.length === 0 ? undefined : `${result.trails.length} trail${result.trails.length === 1 ? '' : 's'}, ${bad} with problems`;
    this.changed.fire(undefined);
    return this.trails;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (this.trails === undefined || this.stale) await this.refresh().catch(() => undefined);
      return (this.trails ?? []).map((trail) => ({ kind: 'trail', trail }));
    }
    if (node.kind !== 'trail') return [];
    const keys: Node[] = node.trail.chains.length > 0
      ? node.trail.chains.map((chain) => ({ kind: 'key', label: chain.map((s) => s.address).join(' → '), location: chain[chain.length - 2]?.location ?? chain[0]?.location }))
      : [{ kind: 'key', label: node.trail.keyNote ?? 'no key', location: node.trail.location }];
    return [...keys, ...node.trail.requirements.map((line): Node => ({ kind: 'requirement', line }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'trail') {
      const { trail } = node;
      const unmet = trail.requirements.filter((r) => r.mark === 'unmet').length;
      // A handful of trails open at once; a large workspace's list stays readable collapsed.
      const state = (this.trails?.length ?? 0) <= EXPANDED_UP_TO ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
      const item = new vscode.TreeItem(trail.address, state);
      item.description = `${vscode.workspace.asRelativePath(vscode.Uri.parse(trail.location.uri))}${unmet > 0 ? ` · ${unmet} ✗` : ''}`;
      item.iconPath = unmet > 0 ? ICONS.unmet : trail.requirements.some((r) => r.mark === 'unknown') ? ICONS.unknown : ICONS.met;
      item.contextValue = 'trail';
      item.command = open(trail.location);
      item.tooltip = trail.requirements.map((r) => `${MARKS[r.mark]} ${r.label}${r.reason ? ` (${r.reason})` : ''}`).join('\n');
      return item;
    }
    if (node.kind === 'key') {
      const item = new vscode.TreeItem(`key: ${node.label}`, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('key');
      item.command = node.location && open(node.location);
      return item;
    }
    const { line } = node;
    const item = new vscode.TreeItem(`${MARKS[line.mark]} ${line.label}`, vscode.TreeItemCollapsibleState.None);
    item.description = line.reason;
    item.tooltip = line.reason ? `${line.label}: ${line.reason}` : line.label;
    item.iconPath = ICONS[line.mark];
    item.command = line.location && open(line.location);
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function open(location: LspLocation): vscode.Command {
  const { start, end } = location.range;
  const selection = new vscode.Range(start.line, start.character, end.line, end.character);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(location.uri), { selection, preview: true } satisfies vscode.TextDocumentShowOptions] };
}
