/**
 * What a key policy must give CloudTrail, checked the way KMS would check it.
 *
 * Source: AWS CloudTrail User Guide, "Configure AWS KMS key policies for CloudTrail"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html):
 * CloudTrail needs `kms:GenerateDataKey*` (best scoped with the `kms:EncryptionContext:aws:cloudtrail:arn`
 * and `aws:SourceArn` conditions; `aws:SourceAccount` is supported) and `kms:DescribeKey`;
 * users who read the logs need `kms:Decrypt` under the CloudTrail encryption context.
 *
 * Each answer says `met` (leaning to "met" whenever something we cannot see could make it so,
 * so that a rule may fire on `!met` without false alarms), whether it is `certain`, why not,
 * and the statements involved so findings can point at them.
 */
import type { ParsedPolicy, Statement, Tri } from './types';
import type { PolicyDecision, PolicyRequest } from './evaluate';
import { isAllowed, matchStatement } from './evaluate';
import { accountPrincipal, isWildcardPrincipal, matchAction, parseConditionOperator } from './matchers';
import {
  CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY, CLOUDTRAIL_SERVICE_PRINCIPAL, cloudTrailServiceRequest, foreignReaderRequest,
  logReaderRequest, someReaderInAccount, trailIdentity,
} from './cloudtrailRequests';
import type { CloudTrailKeyPolicyOptions, TrailIdentity } from './cloudtrailRequests';
import { matchText, triAny, triNot } from './wildcards';

export interface RequirementResult<Reason extends string> {
  met: boolean;
  /** Nothing unknown (an input, an unseen statement, a conditional) was involved. */
  certain: boolean;
  /** Why it is not met; undefined when it is. */
  reason?: Reason;
  /**
   * Met: the statements that grant it. Not met: the statements at fault (the Deny, the grant
   * whose conditions never match, the misspelled action, the unscoped grant); empty when the
   * grant is simply missing.
   */
  statements: Statement[];
}

export interface CloudTrailKeyPolicyAnalysis {
  /** The trail ARN the requests were made with (with `${…}` for what was not known). */
  trailArn: string;
  /** CTK101: CloudTrail may call `kms:GenerateDataKey` for the trail. */
  encrypt: RequirementResult<'missing' | 'denied' | 'conditionsNeverMatch' | 'misspelledAction'>;
  /** CTK102: every grant of that is scoped to the trail or account. Met when there is no grant. */
  encryptScoped: RequirementResult<'unscoped'>;
  /**
   * CTK102 at a lower severity: grants scoped only by `aws:SourceAccount` (no encryption
   * context, no `aws:SourceArn`), which admit every trail of that account.
   */
  encryptAccountOnly: Statement[];
  /** CTK103: CloudTrail may call `kms:DescribeKey` (a request without encryption context). */
  describe: RequirementResult<'missing' | 'denied' | 'onlyUnderEncryptionContext' | 'conditionsNeverMatch'>;
  /** CTK104: someone may decrypt the logs (directly, or through the account's IAM policies). */
  readers: RequirementResult<'missing' | 'denied'>;
  /** CTK105: Allow statements that give `kms:Decrypt` to anybody without an account/org condition. */
  decryptTooBroad: Statement[];
}

/** Condition keys that tie a CloudTrail grant to a trail or an account. */
const SCOPING_KEYS = new Set([CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY, 'aws:SourceArn', 'aws:SourceAccount'].map((k) => k.toLowerCase()));
/** Condition keys that keep a grant to "*" inside an account or organization. */
const CALLER_RESTRICTING_KEYS = new Set(
  ['kms:CallerAccount', 'aws:PrincipalOrgID', 'aws:PrincipalAccount', 'aws:PrincipalOrgPaths', 'aws:PrincipalArn'].map((k) => k.toLowerCase()),
);

export function analyzeCloudTrailKeyPolicy(policy: ParsedPolicy, options: CloudTrailKeyPolicyOptions = {}): CloudTrailKeyPolicyAnalysis {
  const trail = trailIdentity(options);
  const encryptRequest = cloudTrailServiceRequest('kms:GenerateDataKey', trail, true);
  const encrypt = analyzeServiceGrant(policy, encryptRequest);
  return {
    trailArn: trail.arn,
    encrypt: encrypt.result,
    encryptScoped: analyzeEncryptScope(policy, encryptRequest, encrypt.decision),
    encryptAccountOnly: findAccountOnlyGrants(policy, encryptRequest, encrypt.decision),
    describe: analyzeDescribe(policy, trail),
    readers: analyzeReaders(policy, trail),
    decryptTooBroad: findDecryptTooBroad(policy, trail),
  };
}

/**
 * CTK101's question for one trail: may CloudTrail encrypt for the trail of `options`? With the
 * request, so a caller can explain a statement whose conditions never match it.
 */
export function analyzeTrailEncrypt(policy: ParsedPolicy, options: CloudTrailKeyPolicyOptions): { result: CloudTrailKeyPolicyAnalysis['encrypt']; request: PolicyRequest } {
  const request = cloudTrailServiceRequest('kms:GenerateDataKey', trailIdentity(options), true);
  return { result: analyzeServiceGrant(policy, request).result, request };
}

/** Met when allowed, or when unseen statements could allow it. */
export const isMet = (policy: ParsedPolicy, decision: PolicyDecision): boolean =>
  decision.decision === 'allow' || (decision.decision === 'implicit-deny' && policy.hasUnknownStatements);

/** Allow statements that name the requester and the action but whose conditions never hold. */
export const conditionNearMisses = (policy: ParsedPolicy, request: PolicyRequest): Statement[] =>
  policy.statements.filter((s) => {
    if (s.effect !== 'Allow') return false;
    const m = matchStatement(s, request);
    return m.principal !== 'no' && m.action !== 'no' && m.resource !== 'no' && m.conditions === 'no';
  });

/**
 * Whether a service's request is allowed and, when not, why: denied, a misspelled action, a
 * grant whose conditions never match, or nothing grants it. (CloudTrail's encrypt request, and
 * its requests for an encrypted notification topic.)
 */
export function analyzeServiceGrant(policy: ParsedPolicy, request: PolicyRequest): { result: CloudTrailKeyPolicyAnalysis['encrypt']; decision: PolicyDecision } {
  const decision = isAllowed(policy, request);
  const certain = decision.certain;
  if (isMet(policy, decision)) return { decision, result: { met: true, certain, statements: decision.allowedBy } };
  if (decision.deniedBy.length > 0) return { decision, result: { met: false, certain, reason: 'denied', statements: decision.deniedBy } };
  const misspelled = statementsWithMisspelledAction(policy, request);
  if (misspelled.length > 0) return { decision, result: { met: false, certain, reason: 'misspelledAction', statements: misspelled } };
  const nearMisses = conditionNearMisses(policy, request);
  if (nearMisses.length > 0) return { decision, result: { met: false, certain, reason: 'conditionsNeverMatch', statements: nearMisses } };
  return { decision, result: { met: false, certain, reason: 'missing', statements: [] } };
}

/** Statements for the requester with an invalid action whose suggested repair is the request's action. */
export function statementsWithMisspelledAction(policy: ParsedPolicy, request: PolicyRequest): Statement[] {
  const indexes = new Set(
    policy.problems
      .filter((p) => p.suggestion !== undefined && p.statementIndex !== undefined &&
        ['malformedAction', 'unknownAction', 'actionMatchesNothing'].includes(p.messageId) &&
        matchText(p.suggestion, request.action, { wildcards: true, foldCase: true }) !== 'no')
      .map((p) => p.statementIndex),
  );
  return policy.statements.filter((s) => s.effect === 'Allow' && indexes.has(s.index) && matchStatement(s, request).principal !== 'no');
}

/** A positive (or, for a Deny, negated) String/Arn test on one of `keys`. */
function hasConditionOn(statement: Statement, keys: Set<string>, negated: boolean): boolean {
  return statement.conditions.some((c) => {
    if (c.unknown) return !negated;
    const operator = parseConditionOperator(c.operator);
    if (!operator || !keys.has(c.key.toLowerCase())) return false;
    if (operator.family !== 'string' && operator.family !== 'arn') return false;
    return !!operator.negated === negated && c.values.some((v) => v.value !== '*');
  });
}

function analyzeEncryptScope(policy: ParsedPolicy, request: PolicyRequest, decision: PolicyDecision): CloudTrailKeyPolicyAnalysis['encryptScoped'] {
  if (decision.decision !== 'allow') return { met: true, certain: decision.certain, statements: [] };
  // "That grant" is the statement written for CloudTrail; a broad grant to `{"AWS": "*"}` that
  // may also cover it is judged only when nothing names CloudTrail (and is CTK105's business).
  const named = decision.allowedBy.filter((s) => matchStatement(s, request).principal === 'yes');
  const grants = named.length > 0 ? named : decision.allowedBy;
  // A Deny "unless aws:SourceAccount = …" scopes every grant at once.
  const scopedByDeny = policy.statements.some((s) => s.effect === 'Deny' && !s.effectUnknown &&
    hasConditionOn(s, SCOPING_KEYS, true) && matchStatement(s, request).principal !== 'no' && matchStatement(s, request).action !== 'no');
  const unscoped = scopedByDeny ? [] : grants.filter((s) => !hasConditionOn(s, SCOPING_KEYS, false));
  if (unscoped.length === 0) return { met: true, certain: decision.certain, statements: grants };
  return { met: false, certain: decision.certain, reason: 'unscoped', statements: unscoped };
}

/** Condition keys that name the trail itself, not only its account. */
const TRAIL_SCOPING_KEYS = new Set([CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY, 'aws:SourceArn'].map((k) => k.toLowerCase()));
const ACCOUNT_SCOPING_KEYS = new Set(['aws:sourceaccount']);

function findAccountOnlyGrants(policy: ParsedPolicy, request: PolicyRequest, decision: PolicyDecision): Statement[] {
  if (decision.decision !== 'allow') return [];
  const named = decision.allowedBy.filter((s) => s.effect === 'Allow' && matchStatement(s, request).principal === 'yes');
  // A Deny written on the trail ARN narrows every grant already.
  const narrowedByDeny = policy.statements.some((s) => s.effect === 'Deny' && !s.effectUnknown &&
    hasConditionOn(s, TRAIL_SCOPING_KEYS, true) && matchStatement(s, request).principal !== 'no' && matchStatement(s, request).action !== 'no');
  if (narrowedByDeny) return [];
  return named.filter((s) => hasConditionOn(s, ACCOUNT_SCOPING_KEYS, false) && !hasConditionOn(s, TRAIL_SCOPING_KEYS, false));
}

function analyzeDescribe(policy: ParsedPolicy, trail: TrailIdentity): CloudTrailKeyPolicyAnalysis['describe'] {
  const request = cloudTrailServiceRequest('kms:DescribeKey', trail, false);
  const decision = isAllowed(policy, request);
  const certain = decision.certain;
  if (isMet(policy, decision)) return { met: true, certain, statements: decision.allowedBy };
  if (decision.deniedBy.length > 0) return { met: false, certain, reason: 'denied', statements: decision.deniedBy };
  // The trap: DescribeKey granted in the same statement as GenerateDataKey*, under an
  // encryption-context condition that a DescribeKey request can never satisfy.
  const withContext = isAllowed(policy, cloudTrailServiceRequest('kms:DescribeKey', trail, true));
  const trapped = withContext.allowedBy.filter((s) => s.effect === 'Allow');
  if (trapped.length > 0) return { met: false, certain, reason: 'onlyUnderEncryptionContext', statements: trapped };
  const nearMisses = conditionNearMisses(policy, request);
  if (nearMisses.length > 0) return { met: false, certain, reason: 'conditionsNeverMatch', statements: nearMisses };
  return { met: false, certain, reason: 'missing', statements: [] };
}

/** Statements that may allow `kms:Decrypt` to someone. */
const decryptGrants = (policy: ParsedPolicy): Statement[] =>
  policy.statements.filter((s) => s.effect === 'Allow' && decryptCovered(s) !== 'no');

const decryptCovered = (s: Statement): Tri => {
  const decrypt = (items: Statement['actions']): Tri => triAny(items?.items ?? [], (p) => matchAction(p, 'kms:Decrypt'));
  if (s.actions) return decrypt(s.actions);
  if (s.notActions) return triNot(decrypt(s.notActions));
  return 'no';
};

function analyzeReaders(policy: ParsedPolicy, trail: TrailIdentity): CloudTrailKeyPolicyAnalysis['readers'] {
  // Whom to ask about: every AWS identity or account the Decrypt grants name, and someone in
  // the trail's account when they name everybody. The account root stands for delegation to
  // IAM policies: if the root may decrypt, the account's IAM policies decide who else may.
  const candidates = new Set<string>();
  for (const statement of decryptGrants(policy)) {
    if (statement.notPrincipal) candidates.add(someReaderInAccount(trail));
    for (const item of statement.principal?.items ?? []) {
      if (isWildcardPrincipal(item) || item.type === 'unknown') candidates.add(someReaderInAccount(trail));
      else if (item.type === 'AWS') {
        const account = accountPrincipal(item.value);
        candidates.add(account !== undefined && !item.value.startsWith('arn:') ? `arn:${trail.partition}:iam::${account}:root` : item.value);
      }
    }
  }
  const decisions = [...candidates].map((id) => isAllowed(policy, logReaderRequest(id, trail)));
  const allowing = decisions.filter((d) => d.decision === 'allow');
  if (allowing.length > 0) {
    return { met: true, certain: allowing.some((d) => d.certain), statements: unique(allowing.flatMap((d) => d.allowedBy)) };
  }
  const denied = unique(decisions.flatMap((d) => d.deniedBy));
  const allDenied = decisions.length > 0 && decisions.every((d) => d.decision === 'explicit-deny');
  // Statements we cannot see may grant Decrypt to someone; only an explicit Deny is final.
  if (policy.hasUnknownStatements && !allDenied) return { met: true, certain: false, statements: [] };
  const certain = decisions.every((d) => d.certain);
  if (denied.length > 0) return { met: false, certain, reason: 'denied', statements: denied };
  return { met: false, certain, reason: 'missing', statements: [] };
}

function findDecryptTooBroad(policy: ParsedPolicy, trail: TrailIdentity): Statement[] {
  const broad = decryptGrants(policy).filter((s) =>
    !s.effectUnknown &&
    (s.notPrincipal !== undefined || (s.principal?.items ?? []).some((item) => isWildcardPrincipal(item) && !item.conditional)) &&
    !hasConditionOn(s, CALLER_RESTRICTING_KEYS, false));
  if (broad.length === 0) return [];
  const outsider = foreignReaderRequest(trail);
  // A Deny that certainly stops an outsider (e.g. "unless kms:CallerAccount = …") makes them safe,
  // and so does a condition no outsider's request can meet (`aws:PrincipalIsAWSService: true`).
  if (isAllowed(policy, outsider).decision === 'explicit-deny') return [];
  return broad.filter((s) => matchStatement(s, outsider).overall !== 'no');
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/**
 * Is this policy written for CloudTrail? True when some statement names the
 * `cloudtrail.amazonaws.com` service principal for a `kms:` action (a misspelled one counts).
 * An S3 bucket policy naming CloudTrail for `s3:` actions is not a key policy for CloudTrail.
 */
export function isWrittenForCloudTrail(policy: ParsedPolicy): boolean {
  return policy.statements.some((s) =>
    (s.principal?.items ?? []).some((item) => item.type === 'Service' && !item.unknown &&
      item.value.toLowerCase().startsWith('cloudtrail.') &&
      matchText(item.value, CLOUDTRAIL_SERVICE_PRINCIPAL, { wildcards: false, foldCase: true }) !== 'no') &&
    (s.notActions !== undefined || (s.actions?.items ?? []).some((a) => a.value === '*' || /^\s*kms\s*\W/i.test(a.value))));
}
