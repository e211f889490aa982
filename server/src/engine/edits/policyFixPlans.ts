/**
 * What the key-policy fixes add, independent of syntax: which of AWS's required statements,
 * which condition, which correction, and which account to write them for.
 */
import type { Location } from '../types';
import type { ParsedPolicy, PolicyProblem } from '../policy/types';
import { accountPrincipal } from '../policy/matchers';
import { splitArn } from '../policy/wildcards';
import { CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY } from '../policy/cloudtrailRequests';
import { requiredStatements, trailAccountOf, type JsonObject, type KeyUse, type RequiredStatementParams, type RequiredStatementPurpose } from '../policy/requiredStatements';

export const ADD_STATEMENT_TITLES: Record<RequiredStatementPurpose, string> = {
  keyAdministration: 'Add the account delegation statement',
  encrypt: "Add CloudTrail's encrypt statement to the key policy",
  describe: "Add CloudTrail's DescribeKey statement to the key policy",
  readers: 'Allow this account to read the logs',
  eventDataStore: "Add CloudTrail's event data store statement to the key policy",
  bucketKeyDecrypt: 'Let CloudTrail decrypt with the key for the S3 Bucket Key',
  publishToTopic: "Add CloudTrail's publish statement to the topic key's policy",
};

export const ADD_POLICY_TITLE = "Add a key policy with CloudTrail's statements";
export const ADD_POLICY_TITLES: Record<KeyUse, string> = {
  trail: ADD_POLICY_TITLE,
  eventDataStore: "Add a key policy with CloudTrail's event data store statements",
  topic: "Add a key policy with CloudTrail's publish statement",
};
export const ENABLE_ROTATION_TITLE = 'Enable automatic key rotation';

/**
 * `encryptionContext` is AWS's recommended scope for the encrypt grant; `sourceAccount` scopes
 * a grant that also holds DescribeKey, whose requests carry no encryption context (an
 * encryption-context condition would silently take DescribeKey away).
 */
export type AddedCondition = 'encryptionContext' | 'sourceAccount' | 'callerAccount';

export const CONDITION_TITLES: Record<AddedCondition, string> = {
  encryptionContext: "Limit CloudTrail's grant to this account's trails",
  sourceAccount: "Limit CloudTrail's grant to this account's trails",
  callerAccount: 'Limit decryption to this account',
};

/** Whether the statements of these purposes name the account (CloudTrail's publish statement for a topic does not). */
export const namesAnAccount = (purposes: RequiredStatementPurpose[]): boolean => purposes.some((p) => p !== 'publishToTopic');

/** What to render statements that name no account with: nothing of it appears in them. */
export const NO_ACCOUNT: RequiredStatementParams = { partition: 'aws', accountId: '' };

export function statementsFor(purposes: RequiredStatementPurpose[], params: RequiredStatementParams): JsonObject[] {
  return requiredStatements(params).filter((r) => purposes.includes(r.purpose)).map((r) => r.statement);
}

/** The condition a fix adds: operator, key and value. */
export function conditionFor(condition: AddedCondition, params: RequiredStatementParams): { operator: string; key: string; value: string } {
  if (condition === 'encryptionContext') {
    return { operator: 'StringLike', key: CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY, value: `arn:${params.partition}:cloudtrail:*:${trailAccountOf(params)}:trail/*` };
  }
  if (condition === 'sourceAccount') return { operator: 'StringEquals', key: 'aws:SourceAccount', value: trailAccountOf(params) };
  return { operator: 'StringEquals', key: 'kms:CallerAccount', value: params.accountId };
}

/**
 * The account (and partition) the policy already grants as a whole, as written
 * (`arn:aws:iam::${var.account_id}:root`): reusing it keeps the policy consistent and is valid
 * wherever that text was valid. `sameSyntax` says whether a principal's text can be copied
 * to where the fix writes.
 */
export function accountFromPolicy(policy: ParsedPolicy, sameSyntax: (origin: Location | undefined) => boolean): Partial<RequiredStatementParams> | undefined {
  for (const statement of policy.statements) {
    if (statement.effect !== 'Allow' || statement.conditional) continue;
    for (const item of statement.principal?.items ?? []) {
      if (item.type !== 'AWS' || item.unknown || item.conditional || !sameSyntax(item.origin)) continue;
      const account = accountPrincipal(item.value);
      if (account === undefined || account === '' || account === '*') continue;
      const parts = splitArn(item.value);
      return { accountId: account, partition: parts[0] === 'arn' && parts[1] ? parts[1] : undefined };
    }
  }
  return undefined;
}

/** Problems whose suggestion replaces one written string. */
const CORRECTABLE: Partial<Record<PolicyProblem['messageId'], string>> = {
  malformedAction: 'action',
  unknownAction: 'action',
  actionMatchesNothing: 'action',
  invalidEffect: 'effect',
  unknownStatementElement: 'element',
  unknownPolicyElement: 'element',
  unknownPrincipalType: 'type',
  unknownConditionOperator: 'operator',
};

export interface Correction {
  written: string;
  replacement: string;
  title: string;
  /** For a renamed element: renaming is unsafe when the statement already has it. */
  isElementName: boolean;
}

export function correctionFor(problem: PolicyProblem): Correction | undefined {
  const field = CORRECTABLE[problem.messageId];
  const written = field ? problem.data[field] : undefined;
  if (!written || problem.suggestion === undefined || problem.suggestion === written || !problem.origin) return undefined;
  return {
    written,
    replacement: problem.suggestion,
    title: `Change "${written}" to "${problem.suggestion}"`,
    isElementName: field === 'element',
  };
}
