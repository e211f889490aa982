/**
 * What the key-policy rules share: each CloudTrail key's policy parsed and analysed once,
 * where a finding about a statement is shown, and the chain back to the trails
 * (trail → alias → key → policy) for `relatedInformation`.
 */
import { judgedForTrails, type KeyFacts } from '../analysis/keyFacts';
import { analyzedKeys, analyzedStoreKeys, type AnalyzedKey } from '../analysis/analyzedKeys';
import { CLOUDTRAIL_SERVICE_PRINCIPAL, matchText } from '../policy';
import type { Statement } from '../policy/types';
import type { Fix, Location, Range, RelatedInformation } from '../types';
import { rangeContains } from '../types';
import type { Value } from '../model/values';
import type { RuleContext } from './rule';

export { analyzedKeys, analyzedStoreKeys, type AnalyzedKey };

/**
 * Whether a statement names CloudTrail: its service principal, `"*"`, or a principal that
 * cannot be read. `{"AWS": "*"}` does not: it names AWS identities, and AWS's CloudTrail
 * guide asks for the service principal to be named in the key policy.
 */
export function namesCloudTrail(statement: Statement): boolean {
  if (statement.notPrincipal) return true;
  return (statement.principal?.items ?? []).some((item) => item.type === '*' || item.type === 'unknown' ||
    (item.type === 'Service' && (item.unknown || matchText(item.value, CLOUDTRAIL_SERVICE_PRINCIPAL, { wildcards: false, foldCase: true }) !== 'no')));
}

/** A requirement met only through statements that do not name CloudTrail (`{"AWS": "*"}` ones). */
export const metOnlyWithoutNamingCloudTrail = (result: { met: boolean; statements: Statement[] }): boolean =>
  result.met && result.statements.length > 0 && !result.statements.some(namesCloudTrail);

/** The policy as a sentence's subject: "The key policy of aws_kms_key.logs", "data.aws_iam_policy_document.kms", "This key policy". */
export function policyPhrase(key: KeyFacts): string {
  if (key.kind === 'key') return `The key policy of ${key.address}`;
  return key.address.startsWith('(') ? 'This key policy' : key.address;
}

/** The trail(s) that break, for messages: `aws_cloudtrail.main`, or a generic phrase. */
export function trailPhrase(key: KeyFacts): string {
  return usersPhrase(key.usedBy, 'a trail that uses it');
}

/** The event data store(s) that break, for messages. */
export function storePhrase(key: KeyFacts): string {
  return usersPhrase(key.storeUsers ?? [], 'an event data store that uses it');
}

function usersPhrase(users: KeyFacts['usedBy'], none: string): string {
  const [first, ...rest] = users;
  if (!first) return none;
  return rest.length === 0 ? first.address : `${first.address} (and ${rest.length} more)`;
}

/**
 * The keys the trail rules (CTK101–CTK105) judge: all but those only event data stores use,
 * whose needs differ (CTK102 would ask for the `aws:SourceArn` condition AWS forbids for stores).
 */
export const trailKeys = (keys: KeyFacts[]): KeyFacts[] => keys.filter(judgedForTrails);

/** The key as the subject of a message: its address, or the keys a document is the policy of. */
export function keyPhrase(key: KeyFacts): string {
  if (key.kind === 'key') return key.address;
  const keys = key.usedAsPolicyOf ?? [];
  return keys.length > 0 ? keys.map((k) => k.address).join(', ') : 'the key';
}

/** The chain back to the trails, then the written statement when the finding is shown elsewhere. */
export function relatedOf(key: KeyFacts, shownAt?: Location, writtenAt?: Location): RelatedInformation[] {
  const related: RelatedInformation[] = [];
  const users = [
    ...key.usedBy.map((user) => ({ user, relation: user.relation ?? 'encrypts its logs with' })),
    ...(key.storeUsers ?? []).map((user) => ({ user, relation: user.relation ?? 'encrypts its events with' })),
  ];
  for (const { user, relation } of users) {
    related.push({ location: user.location, message: `${user.address} ${relation} ${user.through?.[0]?.address ?? key.address}` });
    (user.through ?? []).forEach((step, i) => {
      const next = user.through?.[i + 1]?.address ?? key.address;
      related.push({ location: step.location, message: `${step.address} ${step.relation ?? 'points at'} ${next}` });
    });
  }
  for (const owner of key.usedAsPolicyOf ?? []) {
    if (!related.some((r) => r.message.startsWith(`${owner.address} `))) related.push({ location: owner.location, message: `${owner.address} uses this policy` });
  }
  if (writtenAt && shownAt && (writtenAt.uri !== shownAt.uri || writtenAt.range.start.line !== shownAt.range.start.line)) {
    related.push({ location: writtenAt, message: 'the statement is written here' });
  }
  return dedupe(related);
}

/** Where a statement finding is shown: its `Sid` line when it has one, else its first entry's line. */
export function statementOrigin(statement: Statement): Location | undefined {
  return headline(statement.source) ?? statement.origin;
}

/** The `Sid` entry of an object written one entry per line, else its first entry: one line, not the whole object. */
export function headline(object: Value): Location | undefined {
  if (object.kind !== 'object' || !object.origin) return undefined;
  for (const name of ['Sid', ...object.entries.keys()]) {
    const key = object.keyOrigins?.get(name);
    const value = object.entries.get(name);
    if (key && value?.origin && key.uri === value.origin.uri && key.range.start.line === value.origin.range.end.line) {
      return { uri: key.uri, range: { start: key.range.start, end: value.origin.range.end } };
    }
  }
  return undefined;
}

/** Reports one finding about a key, at `origin` anchored by the key's facts. */
export function reportOnKey(
  context: RuleContext, key: KeyFacts, origin: Location | undefined,
  finding: { messageId: string; data: Record<string, string>; fixes: () => (Fix | undefined)[]; weaker?: boolean; related?: RelatedInformation[] },
): void {
  const shown = origin && key.policy ? key.policy.anchor(origin) : key.policy?.summary ?? { uri: key.uri, range: key.headerRange };
  context.report({
    messageId: finding.messageId,
    data: finding.data,
    uri: shown.uri,
    range: shown.range,
    resource: key.address,
    subject: shown.uri === key.uri ? key.subject : shown.range,
    alsoSubject: policyOwnerHolding(key, shown),
    related: [...relatedOf(key, shown, origin), ...(finding.related ?? [])],
    fixes: finding.fixes,
    weaker: finding.weaker,
  });
}

/** The `aws_kms_key_policy` block the finding is shown in, where its suppression fix writes. */
function policyOwnerHolding(key: KeyFacts, shown: Location): Range | undefined {
  const owner = key.policy?.owner;
  return owner && owner.uri === shown.uri && rangeContains(owner.range, shown.range) ? owner.range : undefined;
}

function dedupe(steps: RelatedInformation[]): RelatedInformation[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const id = `${s.location.uri}:${s.location.range.start.line}:${s.location.range.start.character}:${s.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
