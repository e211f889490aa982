/**
 * Quick fixes for a CloudFormation CloudTrail key, in the template's own syntax and style
 * (YAML or JSON, short or long intrinsics), through `YamlDocument` / `JsonDocument`. New
 * statements name the account as `${AWS::AccountId}` (rendered as `!Sub`), which is always
 * right in a template.
 */
import type { Fix, Location, RuleId, TextEdit } from '../../types';
import type { Expr, ObjectExpr, SourceFile, TupleExpr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import { propertiesOf } from '../facts/cloudformationEvaluator';
import type { ResourceRef, Value } from '../../model/values';
import { looksLikeJson } from '../parse/cfnDetect';
import { keyPolicyFor, type KeyUse, type RequiredStatementParams, type RequiredStatementPurpose } from '../../policy/requiredStatements';
import type { PolicyProblem, Statement } from '../../policy/types';
import type { KeyFixes } from '../../analysis/keyFacts';
import type { FixTrail } from '../../analysis/keyUsage';
import type { CfnStyle, JsonValue } from './cfnRender';
import { JsonDocument } from '../../edits/jsonEdits';
import { YamlDocument, blockAsMapping, mergeInserts } from './yamlEdits';
import { ADD_POLICY_TITLES, ADD_STATEMENT_TITLES, CONDITION_TITLES, ENABLE_ROTATION_TITLE, conditionFor, correctionFor, statementsFor, type AddedCondition } from '../../edits/policyFixPlans';
import { elementOwner } from '../../edits/policyObjectEdits';
import { replaceWritten } from '../../edits/policyTextEdits';

const PARAMS: RequiredStatementParams = { partition: '${AWS::Partition}', accountId: '${AWS::AccountId}' };

/**
 * With the one trail that uses the key named in the template, its ARN from the stack's
 * pseudo-parameters (`aws:SourceArn`, AWS's recommended condition). Not for an organization
 * trail: its ARN carries the management account, which no pseudo-parameter names.
 */
export function paramsForTrail(trail: FixTrail | undefined): RequiredStatementParams {
  return trail?.name && !trail.organization ? { ...PARAMS, region: '${AWS::Region}', trailName: trail.name } : PARAMS;
}

interface Editor {
  kind: 'yaml' | 'json';
  doc: YamlDocument | JsonDocument;
  set(mapping: ObjectExpr, key: string, value: JsonValue): TextEdit | undefined;
  append(sequence: TupleExpr, value: JsonValue): TextEdit | undefined;
}

/**
 * One editor per template, made when a first fix is asked for: it reads the whole text, and a
 * template holds many keys whose fixes are mostly never asked for.
 */
const editors = new WeakMap<SourceFile, Editor | null>();

export class CloudFormationKeyFixes implements KeyFixes {
  private readonly params: RequiredStatementParams;

  constructor(private readonly file: SourceFile, private readonly key: ResourceRef, private readonly policy: Value | undefined, trail?: FixTrail) {
    this.params = paramsForTrail(trail);
  }

  private get editor(): Editor | undefined {
    if (!editors.has(this.file)) editors.set(this.file, editorFor(this.file) ?? null);
    return editors.get(this.file) ?? undefined;
  }

  suppress(ruleId: RuleId): Fix | undefined {
    const editor = this.editor;
    if (!editor) return undefined;
    const edit = editor.doc instanceof YamlDocument
      ? editor.doc.commentAbove(this.key.block.headerRange.start, `# cloudtrail-kms-lint:ignore ${ruleId} reason: <why this is acceptable>`)
      : this.suppressInMetadata(editor, ruleId);
    return edit && this.fix(`Suppress ${ruleId} for ${this.key.address}`, [edit], 'suppress');
  }

  enableRotation(): Fix | undefined {
    const properties = propertiesOf(this.key);
    const edit = properties && this.editor?.set(properties, 'EnableKeyRotation', true);
    return edit && this.fix(ENABLE_ROTATION_TITLE, [edit]);
  }

  addPolicy(use: KeyUse = 'trail'): Fix | undefined {
    const properties = propertiesOf(this.key);
    if (this.policy || !properties || properties.entries.some((e) => e.key === 'KeyPolicy')) return undefined;
    const edit = this.editor?.set(properties, 'KeyPolicy', keyPolicyFor(use, this.params));
    return edit && this.fix(ADD_POLICY_TITLES[use], [edit], 'quickfix', true);
  }

  addStatements(purposes: RequiredStatementPurpose[]): Fix | undefined {
    const list = this.policy?.kind === 'object' ? this.policy.entries.get('Statement') : undefined;
    const sequence = this.expressionAt(list?.origin);
    if (!this.editor || sequence?.kind !== 'tuple' || purposes.length === 0) return undefined;
    const edits: TextEdit[] = [];
    for (const statement of statementsFor(purposes, this.params)) {
      const edit = this.editor.append(sequence, statement);
      if (!edit) return undefined;
      edits.push(edit);
    }
    // Several statements append at one place: one edit, so every client applies them in order.
    return this.fix(ADD_STATEMENT_TITLES[purposes[0]], mergeInserts(edits));
  }

  addCondition(statement: Statement, condition: AddedCondition): Fix | undefined {
    const object = this.expressionAt(statement.origin);
    if (!this.editor || object?.kind !== 'object') return undefined;
    const { operator, key, value } = conditionFor(condition, this.params);
    const existing = object.entries.find((e) => e.key === 'Condition')?.value;
    let edit: TextEdit | undefined;
    if (!existing) edit = this.editor.set(object, 'Condition', { [operator]: { [key]: value } });
    else if (existing.kind === 'object') {
      const block = existing.entries.find((e) => e.key === operator)?.value;
      if (!block) edit = this.editor.set(existing, operator, { [key]: value });
      else if (block.kind === 'object' && !block.entries.some((e) => e.key === key)) edit = this.editor.set(block, key, value);
    }
    return edit && this.fix(CONDITION_TITLES[condition], [edit]);
  }

  correct(problem: PolicyProblem): Fix | undefined {
    const correction = correctionFor(problem);
    if (!this.editor || !correction || problem.origin?.uri !== this.file.uri) return undefined;
    if (correction.isElementName) {
      const owner = this.policy && elementOwner(this.policy, problem);
      if (owner?.kind !== 'object' || owner.entries.has(correction.replacement)) return undefined;
    }
    const edit = replaceWritten(this.editor.doc.lines, problem.origin.range, [correction.written], correction.replacement, this.editor.kind);
    return edit && this.fix(correction.title, [edit], 'quickfix', true);
  }

  /** The object or list written at a value's origin, within this key's `KeyPolicy`. */
  private expressionAt(origin: Location | undefined): Expr | undefined {
    const root = propertiesOf(this.key)?.entries.find((e) => e.key === 'KeyPolicy')?.value;
    if (!origin || !root || origin.uri !== this.file.uri) return undefined;
    const same = (e: Expr): boolean => e.range.start.line === origin.range.start.line && e.range.start.character === origin.range.start.character &&
      e.range.end.line === origin.range.end.line && e.range.end.character === origin.range.end.character;
    const visit = (e: Expr): Expr | undefined => {
      if (same(e) && (e.kind === 'object' || e.kind === 'tuple')) return e;
      const children = e.kind === 'object' ? e.entries.map((x) => x.value) : e.kind === 'tuple' ? e.items : e.kind === 'call' ? e.args : [];
      for (const child of children) {
        const found = visit(child);
        if (found) return found;
      }
      return undefined;
    };
    return visit(root);
  }

  /** JSON has no comments: `Metadata: {"cloudtrail-kms-lint": {"ignore": [id]}}`, when the resource has no Metadata yet. */
  private suppressInMetadata(editor: Editor, ruleId: RuleId): TextEdit | undefined {
    const resource = blockAsMapping(this.key.block);
    if (!resource || findAttribute(this.key.block, 'Metadata')) return undefined;
    return editor.set(resource, 'Metadata', { 'cloudtrail-kms-lint': { ignore: [ruleId] } });
  }

  private fix(title: string, edits: TextEdit[], kind: Fix['kind'] = 'quickfix', isPreferred?: boolean): Fix {
    return { title, edits: [{ uri: this.file.uri, edits }], kind, ...(isPreferred ? { isPreferred } : {}) };
  }
}

function editorFor(file: SourceFile): Editor | undefined {
  if (looksLikeJson(file.text)) {
    const doc = new JsonDocument(file.text);
    if (doc.isMinified()) return undefined;
    const style: CfnStyle = doc.style();
    return { kind: 'json', doc, set: (m, k, v) => doc.setProperty(m, k, v, style), append: (s, v) => doc.appendItem(s, v, style) };
  }
  const doc = new YamlDocument(file.text);
  const style = doc.style(file.blocks);
  return { kind: 'yaml', doc, set: (m, k, v) => doc.setEntry(m, k, v, style), append: (s, v) => doc.appendItem(s, v, style) };
}
