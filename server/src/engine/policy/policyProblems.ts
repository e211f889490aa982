/**
 * CTK106 (key-policy-invalid) message ids and their default wording, with `{placeholders}`
 * filled from `PolicyProblem.data`. The rule owns the final wording; tests assert ids and data.
 */
import type { Location } from '../types';
import type { PolicyProblem, PolicyProblemId } from './types';

export const policyProblemMessages: Record<PolicyProblemId, string> = {
  invalidDocumentType: 'A key policy must be a JSON object with Version and Statement, not {found}.',
  unknownPolicyElement: '"{element}" is not a policy element (Version, Id, Statement).',
  invalidVersion: 'Version "{version}" is not a policy language version; use "2012-10-17".',
  missingStatement: 'The policy has no Statement.',
  invalidStatementType: 'Statement must be an object or a list of objects, not {found}.',
  unknownStatementElement: '"{element}" is not a statement element.',
  missingEffect: 'The statement has no Effect.',
  invalidEffect: 'Effect must be "Allow" or "Deny", not {effect}.',
  missingPrincipal: 'A key policy statement needs a Principal (or NotPrincipal).',
  principalAndNotPrincipal: 'A statement cannot have both Principal and NotPrincipal.',
  invalidPrincipalForm: 'Principal must be "*" or a map such as {"AWS": …} or {"Service": …}, not {found}.',
  unknownPrincipalType: '"{type}" is not a principal type (AWS, Service, Federated, CanonicalUser).',
  invalidPrincipalValue: '{type} principals must be given as a string or a list of strings, not {found}.',
  missingAction: 'The statement has no Action (or NotAction).',
  actionAndNotAction: 'A statement cannot have both Action and NotAction.',
  invalidActionType: '{element} must be a string or a list of strings, not {found}.',
  malformedAction: '"{action}" is not an action: actions are written service:Name, e.g. kms:Decrypt.',
  unknownAction: '"{action}" is not a KMS action.',
  actionMatchesNothing: '"{action}" matches no KMS action.',
  missingResource: 'A key policy statement needs a Resource (usually "*").',
  invalidResourceType: '{element} must be a string or a list of strings, not {found}.',
  invalidConditionType: 'Condition must map operators to {key: value} objects, not {found}.',
  unknownConditionOperator: '"{operator}" is not a condition operator.',
  invalidConditionValue: 'The value of condition key "{key}" must be a string, number, boolean or a list of them, not {found}.',
};

export const formatPolicyProblem = (problem: PolicyProblem): string =>
  policyProblemMessages[problem.messageId].replace(/\{(\w+)\}/g, (whole, name: string) => problem.data[name] ?? whole);

/** Collects problems while parsing; statement-level context is set by the caller. */
export class ProblemSink {
  readonly problems: PolicyProblem[] = [];
  statementIndex: number | undefined;

  report(
    messageId: PolicyProblemId,
    origin: Location | undefined,
    data: Record<string, string> = {},
    suggestion?: string,
  ): void {
    const problem: PolicyProblem = { ruleId: 'CTK106', messageId, data, origin };
    if (suggestion !== undefined) problem.suggestion = suggestion;
    if (this.statementIndex !== undefined) problem.statementIndex = this.statementIndex;
    // Both branches of a conditional are parsed; report a value written once only once.
    if (!this.problems.some((p) => sameProblem(p, problem))) this.problems.push(problem);
  }
}

const sameLocation = (a: Location | undefined, b: Location | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.uri === b.uri &&
    a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character);

const sameProblem = (a: PolicyProblem, b: PolicyProblem): boolean =>
  a.messageId === b.messageId && a.statementIndex === b.statementIndex && sameLocation(a.origin, b.origin) &&
  JSON.stringify(a.data) === JSON.stringify(b.data);
