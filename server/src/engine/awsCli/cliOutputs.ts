/**
 * Saved AWS CLI output (`--output json`) → what it is, recognised by its top-level shape
 * whatever the file is called (docs/inputs/deployed.md):
 * - `aws cloudtrail describe-trails`: `{"trailList": [ … ]}`; `get-trail`: `{"Trail": { … }}`;
 * - `aws kms get-key-policy`: `{"Policy": "<policy JSON>", "PolicyName": "default"}`, or, with
 *   `--query Policy --output text`, the policy document itself when the file name holds a key id;
 * - `aws kms describe-key`: `{"KeyMetadata": {"KeyId": …, "Arn": …, …}}`;
 * - `aws cloudtrail get-event-data-store`: a top-level `EventDataStoreArn`.
 *
 * The CLI prints strict JSON: text that does not parse cleanly is a truncated or foreign file,
 * not output to judge (a trail after the cut would go unseen).
 */
import type { ParseError } from 'jsonc-parser';
import type { Location } from '../types';
import type { SourceFile } from '../model/syntax';
import { parseJsonTree, property, stringValue } from '../model/jsonNodes';
import { LineIndex } from '../model/text';
import type { ObjectValue, Value } from '../model/values';
import { decodeJsonString } from '../analysis/jsonStringText';
import { isPolicyDocumentValue, parsePolicyText } from '../analysis/policyJson';
import { SourcedText, type TextSource } from '../analysis/sourcedText';
import { baseNameOfUri } from '../workspace/files';
import { keyIdInFileName } from './keyIds';

interface OutputBase {
  uri: string;
  lines: LineIndex;
  file: SourceFile;
  /** The whole file, read as values that remember where they are written. */
  root: ObjectValue;
}

export type CliOutput =
  | (OutputBase & { kind: 'trails'; trails: ObjectValue[] })
  | (OutputBase & { kind: 'keyPolicy'; policy: ReadPolicy; keyId?: string })
  | (OutputBase & { kind: 'key'; metadata: ObjectValue })
  | (OutputBase & { kind: 'eventDataStore' })
  /** `list-event-data-stores`: its items carry no `KmsKeyId`, so it is read but never judged. */
  | (OutputBase & { kind: 'eventDataStoreList' });

export interface ReadPolicy {
  /** The policy document, every node at its place in the file (inside the `Policy` string when it is one). */
  value: ObjectValue;
  /** The `Policy` member, or the whole document. */
  location: Location;
}

/** Top-level members that make a JSON file worth parsing as AWS CLI output. */
const MIGHT_BE_OUTPUT = /"(trailList|Trail|Policy|KeyMetadata|EventDataStoreArn|EventDataStores)"\s*:/;
const PARSE_OPTIONS = { allowTrailingComma: false, disallowComments: true };

/** Undefined when `text` is not AWS CLI output this reader knows. */
export function readCliOutput(uri: string, text: string): CliOutput | undefined {
  const keyId = keyIdInFileName(baseNameOfUri(uri));
  // Cheap rejection first: most JSON files of a workspace are something else.
  if (!MIGHT_BE_OUTPUT.test(text) && !(keyId && text.includes('"Statement"'))) return undefined;
  const errors: ParseError[] = [];
  const tree = parseJsonTree(text, errors, PARSE_OPTIONS);
  if (!tree || tree.type !== 'object' || errors.length > 0) return undefined;
  const lines = new LineIndex(text);
  const source: TextSource = { uri, lines };
  const whole = new SourcedText();
  whole.appendSource(source, 0, text.length);
  const root = parsePolicyText(whole).value;
  if (root?.kind !== 'object') return undefined;
  const base: OutputBase = { uri, lines, root, file: { uri, format: 'aws-cli', text, blocks: [], comments: [], syntaxErrors: [] } };

  const trailList = root.entries.get('trailList');
  if (trailList?.kind === 'list') return { ...base, kind: 'trails', trails: trailList.items.filter(isObject) };
  const trail = root.entries.get('Trail');
  if (root.entries.size === 1 && isObject(trail) && (isString(trail.entries.get('TrailARN')) || isString(trail.entries.get('Name')))) {
    return { ...base, kind: 'trails', trails: [trail] };
  }
  const metadata = root.entries.get('KeyMetadata');
  if (isObject(metadata) && isString(metadata.entries.get('KeyId')) && isString(metadata.entries.get('Arn'))) return { ...base, kind: 'key', metadata };
  if (isString(root.entries.get('EventDataStoreArn'))) return { ...base, kind: 'eventDataStore' };
  if (root.entries.get('EventDataStores')?.kind === 'list') return { ...base, kind: 'eventDataStoreList' };

  const policyNode = property(tree, 'Policy');
  if (policyNode && stringValue(policyNode) !== undefined && [...root.entries.keys()].every((k) => k === 'Policy' || k === 'PolicyName')) {
    const decoded = decodeJsonString(source, policyNode.offset, policyNode.offset + policyNode.length);
    const parsed = decoded && parsePolicyText(decoded);
    const value = parsed && parsed.errors.length === 0 ? parsed.value : undefined;
    const member = root.entries.get('Policy')?.origin;
    if (!isObject(value) || !value.entries.has('Statement') || !member) return undefined;
    const keyOrigin = root.keyOrigins?.get('Policy') ?? member;
    const location: Location = { uri, range: { start: keyOrigin.range.start, end: member.range.end } };
    return { ...base, kind: 'keyPolicy', policy: { value, location }, keyId };
  }
  // The bare document (`--query Policy --output text`) is AWS CLI output only when its name says whose it is.
  if (keyId && isPolicyDocumentValue(root) && root.origin) return { ...base, file: { ...base.file, format: 'policy-json' }, kind: 'keyPolicy', policy: { value: root, location: root.origin }, keyId };
  return undefined;
}

const isObject = (value: Value | undefined): value is ObjectValue => value?.kind === 'object';
const isString = (value: Value | undefined): boolean => value?.kind === 'string' && value.value !== '';
