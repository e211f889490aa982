/**
 * A standalone key-policy `.json` file (a top-level object with `Version` and `Statement`,
 * not a CloudFormation template) → key facts, when the policy is written for CloudTrail: no
 * trail can point at a file, so that is the only way it is a CloudTrail key policy.
 */
import type { Location } from '../types';
import type { SourceFile } from '../model/syntax';
import { LineIndex } from '../model/text';
import { isWrittenForCloudTrail, parsePolicy } from '../policy';
import { PolicyFileFixes } from './policyFileFixes';
import type { KeyFacts } from '../analysis/keyFacts';
import { isPolicyDocumentValue, parsePolicyText } from '../analysis/policyJson';
import { policyAnchor } from '../analysis/policyAnchors';
import { SourcedText } from '../analysis/sourcedText';
import { mayNameCloudTrail } from '../analysis/namesCloudTrail';

export const STANDALONE_POLICY_ADDRESS = '(file)';

export interface PolicyFile {
  file: SourceFile;
  facts: KeyFacts[];
}

/** Undefined when the text is not a key-policy document. */
export function readPolicyFile(uri: string, text: string): PolicyFile | undefined {
  // Cheap rejection first: most JSON files in a workspace are not policies.
  if (!text.includes('"Statement"') || !text.includes('"Version"')) return undefined;
  // A policy that never names CloudTrail is not written for it: nothing to parse.
  if (!mayNameCloudTrail(text)) return undefined;
  const lines = new LineIndex(text);
  const source = new SourcedText();
  source.appendSource({ uri, lines }, 0, text.length);
  const parsed = parsePolicyText(source);
  const value = parsed.value;
  // Half-typed JSON would be judged on what is missing from it; wait until it parses.
  if (parsed.errors.length > 0) return undefined;
  if (!value || value.kind !== 'object' || !isPolicyDocumentValue(value)) return undefined;
  const file: SourceFile = { uri, format: 'policy-json', text, blocks: [], comments: [], syntaxErrors: [] };
  const policy = parsePolicy(value);
  if (!isWrittenForCloudTrail(policy)) return { file, facts: [] };
  const whole: Location = { uri, range: { start: { line: 0, character: 0 }, end: lines.positionAt(text.length) } };
  const summary: Location = value.keyOrigins?.get('Statement') ? { uri, range: value.keyOrigins.get('Statement')!.range } : whole;
  const facts: KeyFacts = {
    format: 'policy-json', kind: 'document', uri, address: STANDALONE_POLICY_ADDRESS,
    headerRange: summary.range, subject: whole.range, usedBy: [],
    policy: { value, location: whole, summary, anchor: policyAnchor({ summary, isShownIn: (u) => u === uri, lines: () => lines }) },
    rotationApplies: false,
    fixes: new PolicyFileFixes(uri, lines, value),
  };
  return { file, facts: [facts] };
}
