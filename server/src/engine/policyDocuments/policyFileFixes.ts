/**
 * Quick fixes for a key-policy `.json` file: JSON edits computed from the parsed tree. A
 * file has no "this account" placeholder, so statements are added only when the policy
 * already names its account (its root principal, as written: a literal id, or a template
 * variable such as `${aws_account_id}` that whoever renders the file fills in).
 */
import type { Fix, Location, RuleId } from '../types';
import type { LineIndex } from '../model/text';
import type { Value } from '../model/values';
import { parsePolicy } from '../policy/parsePolicy';
import type { ParsedPolicy, PolicyProblem, Statement } from '../policy/types';
import type { RequiredStatementParams, RequiredStatementPurpose } from '../policy/requiredStatements';
import type { KeyFixes } from '../analysis/keyFacts';
import { ADD_STATEMENT_TITLES, CONDITION_TITLES, accountFromPolicy, conditionFor, correctionFor, statementsFor, type AddedCondition } from '../edits/policyFixPlans';
import { elementOwner, insertCondition, insertStatements, policyFix, replaceString, type EditSite } from '../edits/policyObjectEdits';

export class PolicyFileFixes implements KeyFixes {
  private parsedPolicy: ParsedPolicy | undefined;

  constructor(private readonly uri: string, private readonly lines: LineIndex, private readonly policy: Value) {}

  suppress(ruleId: RuleId): Fix | undefined {
    void ruleId;
    return undefined;
  }

  addPolicy(): Fix | undefined {
    return undefined;
  }

  enableRotation(): Fix | undefined {
    return undefined;
  }

  addStatements(purposes: RequiredStatementPurpose[]): Fix | undefined {
    const params = this.params();
    const edit = params && purposes.length > 0 ? insertStatements(this.policy, statementsFor(purposes, params), this.siteOf) : undefined;
    return edit && policyFix(ADD_STATEMENT_TITLES[purposes[0]], [edit]);
  }

  addCondition(statement: Statement, condition: AddedCondition): Fix | undefined {
    const params = this.params();
    const edit = params && insertCondition(statement, conditionFor(condition, params), this.siteOf);
    return edit && policyFix(CONDITION_TITLES[condition], [edit]);
  }

  correct(problem: PolicyProblem): Fix | undefined {
    const correction = correctionFor(problem);
    if (!correction || !problem.origin) return undefined;
    if (correction.isElementName) {
      const owner = elementOwner(this.policy, problem);
      if (owner?.kind !== 'object' || owner.entries.has(correction.replacement)) return undefined;
    }
    const edit = replaceString(problem.origin, correction.written, correction.replacement, this.siteOf);
    return edit && policyFix(correction.title, [edit], 'quickfix', true);
  }

  private readonly siteOf = (origin: Location | undefined): EditSite | undefined =>
    origin?.uri === this.uri ? { uri: this.uri, lines: this.lines, syntax: 'json' } : undefined;

  private params(): RequiredStatementParams | undefined {
    const written = accountFromPolicy(this.parsed(), (origin) => origin?.uri === this.uri);
    return written?.accountId ? { partition: written.partition ?? 'aws', accountId: written.accountId } : undefined;
  }

  private parsed(): ParsedPolicy {
    this.parsedPolicy ??= parsePolicy(this.policy);
    return this.parsedPolicy;
  }
}
