/**
 * Each key's policy parsed and analysed for CloudTrail once, whoever asks first: the rules,
 * the hover or the overview of the workspace's trails.
 */
import { analyzeCloudTrailKeyPolicy, analyzeEventDataStoreKeyPolicy, parsePolicy } from '../policy';
import type { CloudTrailKeyPolicyAnalysis, EventDataStoreKeyPolicyAnalysis } from '../policy';
import type { ParsedPolicy } from '../policy/types';
import type { KeyFacts } from './keyFacts';

export interface AnalyzedKey {
  key: KeyFacts;
  policy: ParsedPolicy;
  analysis: CloudTrailKeyPolicyAnalysis;
}

const analyses = new WeakMap<KeyFacts, AnalyzedKey>();

/**
 * The analyses of the last policies read, by what they were read from (the policy as written,
 * where it is written, and the trail's ARN): a keystroke that leaves a key's policy as it was
 * (every key but the one typed in, in an open document) finds its analysis made already.
 */
const byPolicyText = new Map<string, Map<string, Omit<AnalyzedKey, 'key'>>>();
/**
 * Files whose analyses are kept, the last used: an analysis holds its key's values, and so the
 * model of its whole file. Enough for the documents being typed in; a scan, whose every file is
 * new, keeps no more than these (kept for every file, 20,000 files took 670 MB).
 */
const MAX_KEPT_FILES = 8;
/** Per file: a file's keys, and the versions of them a few keystrokes apart. */
const MAX_KEPT_ANALYSES = 2000;

/** Forgets the analyses kept by fingerprint (tests compare a reused analysis with a fresh one). */
export function forgetPolicyAnalyses(): void {
  byPolicyText.clear();
}

/** The analyses kept for the file `uri`, now the last used. */
function keptFor(uri: string): Map<string, Omit<AnalyzedKey, 'key'>> {
  let kept = byPolicyText.get(uri);
  if (kept) byPolicyText.delete(uri);
  else kept = new Map();
  byPolicyText.set(uri, kept);
  if (byPolicyText.size > MAX_KEPT_FILES) byPolicyText.delete(byPolicyText.keys().next().value as string);
  return kept;
}

/** A key's policy, analysed; undefined when the key has none. */
export function analyzedKey(key: KeyFacts): AnalyzedKey | undefined {
  if (!key.policy) return undefined;
  let analyzed = analyses.get(key);
  if (!analyzed) {
    const fingerprint = fingerprintOf([key.trailArn ?? null, key.policy.value], key.uri);
    const kept = keptFor(key.uri);
    let read = kept.get(fingerprint);
    if (!read) {
      const policy = parsePolicy(key.policy.value);
      read = { policy, analysis: analyzeCloudTrailKeyPolicy(policy, { trailArn: key.trailArn }) };
      if (kept.size >= MAX_KEPT_ANALYSES) kept.clear();
      kept.set(fingerprint, read);
    }
    analyzed = { key, ...read };
    analyses.set(key, analyzed);
  }
  return analyzed;
}

/**
 * What a policy is read from, as one string: every part of the value (maps as their entries,
 * positions as `line:character`, a resource's block by where it is: the rest of it is no part
 * of a policy). Built by hand: `JSON.stringify` with a replacer costs more than many analyses.
 * Parts are written in the order they come off the stack (a node's children last to first):
 * any fixed order gives equal values equal strings; strings carry their length, so no text
 * can pass for a structure.
 */
export function fingerprintOf(value: unknown, uri: string): string {
  let out = '';
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const part = stack.pop();
    if (typeof part === 'string') {
      // The key's file, named by most origins, in one letter (no other string is written without its length).
      out += part === uri ? 'U ' : `${part.length}"${part} `;
      continue;
    }
    if (typeof part !== 'object' || part === null) {
      out += `${String(part)} `;
      continue;
    }
    if (part === CLOSE) {
      out += ') ';
      continue;
    }
    const record = part as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number') {
      out += `${record.line}:${record.character} `;
      continue;
    }
    const range = record.range as { start?: Record<string, unknown>; end?: Record<string, unknown> } | undefined;
    if (typeof record.uri === 'string' && range?.start && range.end && Object.keys(record).length === 2) {
      // A location, the most common part of a value: its file and range in one part.
      out += `${record.uri === uri ? 'U' : `${record.uri.length}"${record.uri}`} ${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character} `;
      continue;
    }
    out += '( ';
    stack.push(CLOSE);
    if (part instanceof Map) {
      for (const [key, child] of part) stack.push(String(key), child);
    } else if (Array.isArray(part)) {
      for (const child of part) stack.push(child);
    } else {
      for (const key in record) {
        const child = record[key];
        if (child === undefined) continue;
        const block = key === 'block' && typeof child === 'object' && child !== null ? (child as { labels?: unknown; range?: unknown }) : undefined;
        stack.push(key, block ? [block.labels, block.range] : child);
      }
    }
  }
  return out;
}

/** Ends a structure in a fingerprint (no value is this object). */
const CLOSE = {};

/** The keys whose policy is judged here (not those with no policy, nor those judged at a document). */
export function analyzedKeys(keys: KeyFacts[]): AnalyzedKey[] {
  return keys.map(analyzedKey).filter((k): k is AnalyzedKey => k !== undefined);
}

export interface AnalyzedStoreKey {
  key: KeyFacts;
  policy: ParsedPolicy;
  analysis: EventDataStoreKeyPolicyAnalysis;
}

const storeAnalyses = new WeakMap<KeyFacts, AnalyzedStoreKey>();

/**
 * The keys of event data stores whose policy is judged here, analysed for CloudTrail Lake's
 * needs once (CTK303 and CTK304 share it). Keys no store uses are left out.
 */
export function analyzedStoreKeys(keys: KeyFacts[]): AnalyzedStoreKey[] {
  const result: AnalyzedStoreKey[] = [];
  for (const key of keys) {
    if ((key.storeUsers ?? []).length === 0) continue;
    const analyzed = analyzedKey(key);
    if (!analyzed) continue;
    let store = storeAnalyses.get(key);
    if (!store) {
      store = { key, policy: analyzed.policy, analysis: analyzeEventDataStoreKeyPolicy(analyzed.policy) };
      storeAnalyses.set(key, store);
    }
    result.push(store);
  }
  return result;
}
