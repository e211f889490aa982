/**
 * The actions a key policy can name, and repairs for the ways people misspell them.
 *
 * Source: AWS Service Authorization Reference, "Actions, resources, and condition keys for AWS
 * Key Management Service" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html),
 * cross-checked with the KMS API operation list
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html). The API operation
 * `ReEncrypt` is authorised by two IAM actions, `kms:ReEncryptFrom` and `kms:ReEncryptTo`;
 * `kms:SynchronizeMultiRegionKey` is permission-only. When AWS adds an action, add it here:
 * an action missing from this list is reported as unknown (CTK106).
 */
import { matchText } from './wildcards';

export const KMS_ACTIONS: readonly string[] = [
  'CancelKeyDeletion', 'ConnectCustomKeyStore', 'CreateAlias', 'CreateCustomKeyStore',
  'CreateGrant', 'CreateKey', 'Decrypt', 'DeleteAlias', 'DeleteCustomKeyStore',
  'DeleteImportedKeyMaterial', 'DeriveSharedSecret', 'DescribeCustomKeyStores', 'DescribeKey',
  'DisableKey', 'DisableKeyRotation', 'DisconnectCustomKeyStore', 'EnableKey',
  'EnableKeyRotation', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac',
  'GenerateRandom', 'GetKeyPolicy', 'GetKeyRotationStatus', 'GetParametersForImport',
  'GetPublicKey', 'ImportKeyMaterial', 'ListAliases', 'ListGrants', 'ListKeyPolicies',
  'ListKeyRotations', 'ListKeys', 'ListResourceTags', 'ListRetirableGrants', 'PutKeyPolicy',
  'ReEncryptFrom', 'ReEncryptTo', 'ReplicateKey', 'RetireGrant', 'RevokeGrant',
  'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'Sign', 'SynchronizeMultiRegionKey',
  'TagResource', 'UntagResource', 'UpdateAlias', 'UpdateCustomKeyStore', 'UpdateKeyDescription',
  'UpdatePrimaryRegion', 'Verify', 'VerifyMac',
];

const byLowerName = new Map(KMS_ACTIONS.map((name) => [name.toLowerCase(), name]));

/** Action names are case-insensitive in IAM: `kms:generatedatakey` is fine. */
export const isKnownKmsActionName = (name: string): boolean => byLowerName.has(name.toLowerCase());

/**
 * Expanded patterns: every policy repeats the same few (`kms:*`, `kms:GenerateDataKey*`), and
 * matching one against all ~60 names is the costliest step of reading a policy. The map is
 * bounded so a workspace of odd patterns cannot grow it without end.
 */
const expanded = new Map<string, string[]>();

/** The known actions a (possibly wildcarded) name such as `Generate*` covers. */
export const kmsActionsMatching = (namePattern: string): string[] => {
  let names = expanded.get(namePattern);
  if (!names) {
    names = KMS_ACTIONS.filter((name) => matchText(namePattern, name, { wildcards: true, foldCase: true }) !== 'no');
    if (expanded.size >= 1000) expanded.clear();
    expanded.set(namePattern, names);
  }
  return names;
};

/** The shape IAM accepts: `service:Name`, wildcards allowed in the name. */
const WELL_FORMED = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

/**
 * `kms=GenerateDataKey`, `kms.Decrypt`, `kms :Decrypt`, `kms::Decrypt`, `kms Decrypt`, matched
 * after runs of whitespace are collapsed to one space: three adjacent `\s*` would backtrack
 * cubically over a long run of spaces inside an action.
 */
const WRONG_SEPARATOR = /^([A-Za-z0-9-]+) ?(?:=|\.|::|;|,|\/| ) ?:? ?([A-Za-z0-9*?]+)$/;
const collapseSpaces = (text: string): string => text.trim().replace(/\s+/g, ' ');

export const levenshtein = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
};

/** The candidate closest to `word` (case-insensitive), when it is close enough to be meant. */
export function closestWord(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const lower = word.toLowerCase();
  const limit = maxDistance ?? Math.max(2, Math.floor(lower.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a candidate that far off cannot be
    // meant, and skipping it keeps a huge "word" (a 100 KB string) from costing its length squared.
    if (Math.abs(candidate.length - lower.length) > Math.min(limit, bestDistance)) continue;
    const d = levenshtein(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/**
 * For a name that matches no action: the closest known name, keeping a trailing wildcard
 * (`GenerateDataKeys` → `GenerateDataKey`, `GenrateDataKey*` → `GenerateDataKey*`).
 */
export function suggestKmsActionName(name: string): string | undefined {
  const star = name.endsWith('*');
  const stem = star ? name.slice(0, -1) : name;
  if (/[*?]/.test(stem)) return undefined;
  if (!star) return closestWord(stem, KMS_ACTIONS);
  // Compare the stem with prefixes of the same length (give or take one) of every action.
  const prefixes = new Set<string>();
  for (const action of KMS_ACTIONS) {
    for (const length of [stem.length - 1, stem.length, stem.length + 1]) {
      if (length > 0 && length <= action.length) prefixes.add(action.slice(0, length));
    }
  }
  const prefix = closestWord(stem, [...prefixes]);
  return prefix === undefined ? undefined : `${prefix}*`;
}

export type ActionCheck =
  | { ok: true }
  | { ok: false; messageId: 'malformedAction' | 'unknownAction' | 'actionMatchesNothing'; suggestion?: string };

/**
 * Checks one literal action string. Only the `kms` service's names are checked against the
 * list (a policy document may be an S3 bucket policy); the shape is checked for every service.
 */
export function checkActionName(text: string): ActionCheck {
  if (text === '*') return { ok: true };
  if (!WELL_FORMED.test(text)) {
    return { ok: false, messageId: 'malformedAction', suggestion: repairMalformedAction(text) };
  }
  const colon = text.indexOf(':');
  const service = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (service.toLowerCase() !== 'kms') return { ok: true };
  if (/[*?]/.test(name)) {
    if (kmsActionsMatching(name).length > 0) return { ok: true };
    const suggested = suggestKmsActionName(name);
    return { ok: false, messageId: 'actionMatchesNothing', suggestion: suggested && `${service}:${suggested}` };
  }
  if (isKnownKmsActionName(name)) return { ok: true };
  const suggested = suggestKmsActionName(name);
  return { ok: false, messageId: 'unknownAction', suggestion: suggested && `${service}:${suggested}` };
}

function repairMalformedAction(text: string): string | undefined {
  const separated = WRONG_SEPARATOR.exec(collapseSpaces(text));
  let candidate: string | undefined;
  if (separated) candidate = `${separated[1]}:${separated[2]}`;
  else {
    const bare = text.trim();
    // `GenerateDataKey` without a service prefix: only when it is (close to) a KMS action.
    if (/^[A-Za-z*?]+$/.test(bare) && (kmsActionsMatching(bare).length > 0 || suggestKmsActionName(bare))) {
      candidate = `kms:${bare}`;
    }
  }
  if (candidate === undefined || !WELL_FORMED.test(candidate)) return undefined;
  const check = checkActionName(candidate);
  if (check.ok) return candidate;
  return check.messageId === 'malformedAction' ? undefined : check.suggestion;
}
