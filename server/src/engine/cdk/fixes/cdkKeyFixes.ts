/**
 * Fixes of a CDK key, in TypeScript: add CloudTrail's missing statements with
 * `key.addToResourcePolicy(new iam.PolicyStatement({ … }))` after the key (and after the
 * statements already added to it), turn rotation on, or suppress with a comment above it.
 * Conditions and spelling corrections inside a statement are left to the user.
 */
import type { Fix, RuleId, TextEdit } from '../../types';
import type { KeyFixes } from '../../analysis/keyFacts';
import type { RequiredStatementPurpose } from '../../policy/requiredStatements';
import { ADD_STATEMENT_TITLES, ENABLE_ROTATION_TITLE, statementsFor } from '../../edits/policyFixPlans';
import type { TsNode } from '../parse/tsTree';
import type { CdkConstruct } from '../facts/cdkConstructs';
import { CDK_PARAMS, statementLines } from './cdkStatements';
import { ImportPlan, indentAt, linesAfter, linesBefore, setProp, styleOf } from './tsEdits';

const SUPPRESSION_REASON = 'reason: <why this is acceptable>';

export class CdkKeyFixes implements KeyFixes {
  /** `lastWrite`: the last statement of the key's file that adds to its policy (new statements go after it). */
  constructor(private readonly key: CdkConstruct, private readonly lastWrite: TsNode | undefined) {}

  suppress(ruleId: RuleId): Fix | undefined {
    const { source } = this.key.module;
    const comment = `${indentAt(source, this.key.statement)}// cloudtrail-kms-lint:ignore ${ruleId} ${SUPPRESSION_REASON}`;
    return this.fix(`Suppress ${ruleId} for ${this.key.ref.address}`, [linesBefore(source, this.key.statement, [comment])], 'suppress');
  }

  /** A CDK key always has a policy (CDK's default): there is none to add. */
  addPolicy(): Fix | undefined {
    return undefined;
  }

  addStatements(purposes: RequiredStatementPurpose[]): Fix | undefined {
    const { key } = this;
    if (key.kind !== 'Key' || !key.binding || purposes.length === 0 || key.statement === key.node) return undefined;
    const source = key.module.source;
    const style = styleOf(source);
    const plan = new ImportPlan(key.module);
    const anchor = this.lastWrite ?? key.statement;
    const indent = indentAt(source, anchor);
    const lines: string[] = [];
    for (const statement of statementsFor(purposes, CDK_PARAMS)) {
      const written = statementLines(statement, plan, style, indent);
      lines.push(`${indent}${key.binding}.addToResourcePolicy(${written[0]}`, ...written.slice(1, -1), `${written[written.length - 1]})${style.semicolon}`);
    }
    if (lines.length === 0) return undefined;
    return this.fix(ADD_STATEMENT_TITLES[purposes[0]], [...plan.edits(), linesAfter(source, anchor, lines)], 'quickfix');
  }

  addCondition(): Fix | undefined {
    return undefined;
  }

  correct(): Fix | undefined {
    return undefined;
  }

  enableRotation(): Fix | undefined {
    if (this.key.propsOpen) return undefined;
    const edit = setProp(this.key.module, this.key.node, this.key.props, 'enableKeyRotation', 'true');
    return edit && this.fix(ENABLE_ROTATION_TITLE, [edit], 'quickfix');
  }

  private fix(title: string, edits: TextEdit[], kind: Fix['kind']): Fix {
    return { title, edits: [{ uri: this.key.module.uri, edits }], kind };
  }
}
