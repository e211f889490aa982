/**
 * `cloudtrailKmsLint/trails`: every trail of the workspace with its key chain and one line per
 * requirement, for an overview (VS Code's "CloudTrail" view; any LSP client may ask). Open
 * documents count with their unsaved text. Only files whose text names a trail or a module
 * call are analysed, and the work yields to the event loop now and then, so a large workspace
 * does not stall keystrokes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analyzer, TrailOverview } from '../engine';
import { dirnameUri, fileKind } from '../engine/workspace/files';
import { pathToUri, uriToPath } from '../diskHost';
import { walkFiles } from '../walk';

export const TRAILS_REQUEST = 'cloudtrailKmsLint/trails';

export interface TrailsParams {
  /** Extra globs to skip, relative to a workspace folder (VS Code sends its `files.exclude`). */
  exclude?: string[];
}

export interface TrailsResult {
  trails: TrailOverview[];
  /** How many files were looked at. */
  files: number;
}

/** Text that can hold a trail: a Terraform resource or plan, a CloudFormation type, a module call (its module may hold one). */
const MAY_HOLD_TRAIL = /aws_cloudtrail"|"aws_cloudtrail|AWS::CloudTrail::Trail|\bmodule\s*"|"module"\s*:/;
const YIELD_EVERY = 200;

export interface TrailsContext {
  analyzer: Analyzer;
  roots: string[];
  exclude: string[];
  maxFileSize: number;
  /** An open document's text, else undefined. */
  openText(uri: string): string | undefined;
  /** The open documents: a new file not yet saved is listed too. */
  openUris(): string[];
  onSkip(filePath: string, reason: string): void;
}

export async function listTrails(context: TrailsContext, isCancelled: () => boolean = () => false): Promise<TrailsResult> {
  const trails: TrailOverview[] = [];
  const seen = new Set<string>();
  const modulesDone = new Set<string>();
  let files = 0;
  try {
    const visit = (uri: string, read: () => string | undefined): void => {
      const kind = fileKind(uri);
      const terraform = kind === 'terraform' || kind === 'terraform-json';
      if (terraform && modulesDone.has(dirnameUri(uri))) return;
      const text = context.openText(uri) ?? read();
      if (text === undefined || !MAY_HOLD_TRAIL.test(text)) return;
      if (terraform) modulesDone.add(dirnameUri(uri));
      for (const trail of context.analyzer.trailOverviews(uri)) {
        const id = `${trail.location.uri}#${trail.address}`;
        if (seen.has(id)) continue;
        seen.add(id);
        trails.push(trail);
      }
    };
    const walked = new Set<string>();
    for (const file of walkFiles(context.roots, { exclude: context.exclude, onSkip: context.onSkip })) {
      if (++files % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (isCancelled()) break;
      }
      const uri = pathToUri(file);
      walked.add(uri);
      visit(uri, () => readSmall(file, context.maxFileSize));
    }
    for (const uri of context.openUris()) {
      if (walked.has(uri) || !inRoots(uri, context.roots)) continue;
      files++;
      visit(uri, () => undefined);
    }
  } finally {
    // Files read for the overview are not kept: the next request reads them again, fresh.
    context.analyzer.forgetDiskFiles();
  }
  trails.sort((a, b) => a.location.uri.localeCompare(b.location.uri) || a.location.range.start.line - b.location.range.start.line);
  return { trails, files };
}

function inRoots(uri: string, roots: string[]): boolean {
  const file = uriToPath(uri);
  return file !== undefined && roots.some((root) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

function readSmall(file: string, maxFileSize: number): string | undefined {
  try {
    if (fs.statSync(file).size > maxFileSize) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

