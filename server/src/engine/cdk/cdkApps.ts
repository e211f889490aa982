/**
 * Which TypeScript files belong to a CDK app: those under the folder of the nearest
 * `package.json` that depends on `aws-cdk-lib`, or that has a `cdk.json` beside it (a folder
 * with a `cdk.json` and no `package.json` is an app too). Everything else, and whatever lies in
 * `node_modules/` or the synthesised `cdk.out/`, is no concern of this adapter: it is neither
 * parsed nor does it load the grammar.
 *
 * The walk up reads at most `MAX_DEPTH` folder listings, only inside the workspace (the host
 * reads nothing outside it), and its answer is kept for a few seconds per folder, so a burst of
 * keystrokes lists nothing again; the manifest's text is compared on every use.
 */
import type { AdapterFiles } from '../adapter';
import { dirnameUri } from '../workspace/files';

export interface CdkApp {
  /** The folder of the app's `package.json` / `cdk.json`. */
  root: string;
}

const MAX_DEPTH = 12;
const KEPT_MS = 5000;
const MAX_KEPT = 2000;
const IGNORED_FOLDER = /\/(?:node_modules|cdk\.out)(?:\/|$)/;

interface Kept {
  app: CdkApp | undefined;
  /** The manifests the answer was read from, with their text then. */
  read: [string, string | undefined][];
  at: number;
}

export class CdkAppFinder {
  private readonly kept = new Map<string, Kept>();

  /** The app a file belongs to; undefined for a file of no CDK app. */
  appOf(uri: string, files: AdapterFiles): CdkApp | undefined {
    const dir = dirnameUri(uri);
    if (IGNORED_FOLDER.test(dir)) return undefined;
    const kept = this.kept.get(dir);
    if (kept && Date.now() - kept.at < KEPT_MS && kept.read.every(([u, text]) => files.text(u) === text)) return kept.app;
    const found = this.find(dir, files);
    if (this.kept.size >= MAX_KEPT) this.kept.clear();
    this.kept.set(dir, { ...found, at: Date.now() });
    return found.app;
  }

  private find(start: string, files: AdapterFiles): Omit<Kept, 'at'> {
    const read: Kept['read'] = [];
    let dir = start;
    for (let depth = 0; depth < MAX_DEPTH && dir.includes('/'); depth++) {
      const listed = new Set(files.folder(dir));
      const manifest = `${dir}/package.json`;
      const cdkJson = `${dir}/cdk.json`;
      const hasCdkJson = listed.has(cdkJson);
      if (listed.has(manifest) || hasCdkJson) {
        const manifestText = listed.has(manifest) ? files.text(manifest) : undefined;
        read.push([manifest, manifestText]);
        const isApp = hasCdkJson || (manifestText !== undefined && dependsOnCdk(manifestText));
        return { app: isApp ? { root: dir } : undefined, read };
      }
      const parent = dirnameUri(dir);
      if (parent === dir || parent.endsWith(':/') || parent.endsWith(':')) break;
      dir = parent;
    }
    return { app: undefined, read };
  }
}

function dependsOnCdk(manifest: string): boolean {
  const json = parseJson(manifest);
  return ['dependencies', 'devDependencies', 'peerDependencies'].some((field) => {
    const deps = json?.[field];
    return typeof deps === 'object' && deps !== null && Object.prototype.hasOwnProperty.call(deps, 'aws-cdk-lib');
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A TypeScript source file name (lower-case) this adapter may read: `.ts`, not a declaration file. */
export const isTypeScriptSourceName = (fileName: string): boolean => fileName.endsWith('.ts') && !fileName.endsWith('.d.ts');
