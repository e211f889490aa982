/**
 * `get-key-policy` output → key facts for the key-policy rules (CTK101–CTK106).
 *
 * A file whose name holds a key id is the policy of that key: it is judged for the trails of
 * the folder whose `KmsKeyId` names that key (the key is a CloudTrail key by use, as a
 * Terraform key is by reference), or, used by none, when the policy is written for CloudTrail.
 * A JSON-form file without a key id in its name is judged on its own, like any key-policy file.
 * Rotation is not in this output (`get-key-rotation-status` is not read): CTK201 never applies.
 *
 * Findings inside a `Policy` string land on the statement where it is written in the string
 * (positions are mapped through its escapes, cliOutputs.ts).
 */
import type { Location } from '../types';
import type { KeyFacts, KeyUser } from '../analysis/keyFacts';
import { NO_KEY_FIXES } from '../analysis/noFixes';
import { policyAnchor } from '../analysis/policyAnchors';
import { isWrittenForCloudTrail, parsePolicy } from '../policy';
import type { CliOutput } from './cliOutputs';
import type { CliTrail } from './cliTrails';
import type { CliEventDataStore } from './cliEventDataStores';
import type { DescribedKeys } from './describedKeys';
import { keyIdOf } from './keyIds';

/** How a policy judged on its own is named in messages ("This key policy"), as for any key-policy file. */
const STANDALONE_ADDRESS = '(file)';

export function cliKeyPolicyFacts(outputs: CliOutput[], trails: CliTrail[], keys: DescribedKeys, stores: CliEventDataStore[] = []): KeyFacts[] {
  const facts: KeyFacts[] = [];
  for (const output of outputs) {
    if (output.kind !== 'keyPolicy') continue;
    const { keyId, policy } = output;
    const users = keyId === undefined ? [] : trails.filter((t) => keyIdOfTrail(t) === keyId);
    const storeUsers = keyId === undefined ? [] : stores.filter((s) => s.keyId === keyId);
    if (users.length === 0 && storeUsers.length === 0 && !isWrittenForCloudTrail(parsePolicy(policy.value))) continue;
    const statementKey = policy.value.keyOrigins?.get('Statement');
    const summary: Location = statementKey ?? policy.location;
    const whole: Location = { uri: output.uri, range: { start: { line: 0, character: 0 }, end: output.lines.positionAt(output.lines.text.length) } };
    facts.push({
      format: 'aws-cli',
      kind: keyId === undefined ? 'document' : 'key',
      uri: output.uri,
      address: keyId === undefined ? STANDALONE_ADDRESS : keyAddress(keyId, users, keys),
      headerRange: summary.range,
      subject: whole.range,
      usedBy: users.map((t) => keyUser(t.facts)),
      storeUsers: storeUsers.map((s) => keyUser(s.facts)),
      policy: { value: policy.value, location: policy.location, summary, anchor: policyAnchor({ summary, isShownIn: (u) => u === output.uri, lines: () => output.lines }) },
      rotationApplies: false,
      // The requests CloudTrail makes carry the trail's ARN: known exactly when one trail uses the key.
      trailArn: users.length === 1 ? users[0].arn : undefined,
      // Each trail that shares the key is judged with its own ARN.
      trails: users.flatMap((t) => (t.arn === undefined ? [] : [{ address: t.facts.address, arn: t.arn, organization: isOrganizationTrail(t) || undefined }])),
      fixes: NO_KEY_FIXES,
    });
  }
  return facts;
}

const isOrganizationTrail = (trail: CliTrail): boolean => {
  const value = trail.object.entries.get('IsOrganizationTrail');
  return value?.kind === 'bool' && value.value;
};

function keyIdOfTrail(trail: CliTrail): string | undefined {
  const key = trail.object.entries.get('KmsKeyId');
  return key?.kind === 'string' ? keyIdOf(key.value) : undefined;
}

/** The key's ARN: from its `describe-key`, else from a trail's `KmsKeyId`; else its id. */
function keyAddress(keyId: string, users: CliTrail[], keys: DescribedKeys): string {
  const described = keys.find(keyId);
  if (described) return described.ref.address;
  const written = users.map((t) => t.object.entries.get('KmsKeyId')).find((v) => v?.kind === 'string' && v.value.startsWith('arn:'));
  return written?.kind === 'string' ? written.value : keyId;
}

function keyUser(facts: CliTrail['facts']): KeyUser {
  return { address: facts.address, location: { uri: facts.uri, range: facts.keyAttribute?.range ?? facts.block.headerRange } };
}
