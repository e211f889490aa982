/**
 * Fixes of a CDK trail, in TypeScript: point it at a key of the file (`encryptionKey: key` /
 * `kmsKeyId: key.keyArn`), create a key with rotation and CloudTrail's statements before it
 * (`new kms.Key(…)` and `key.addToResourcePolicy(new iam.PolicyStatement({ … }))`, imports
 * added when missing), turn log file validation on, or suppress with a comment above it.
 */
import type { Fix, RuleId, TextEdit } from '../../types';
import type { TrailFixes } from '../../analysis/facts';
import type { ResourceRef } from '../../model/values';
import { CREATED_KEYS } from '../../edits/createdKeys';
import { statementsFor } from '../../edits/policyFixPlans';
import { argumentsOf } from '../parse/tsTree';
import type { CdkConstruct } from '../facts/cdkConstructs';
import { CDK_PARAMS, statementLines } from './cdkStatements';
import { ImportPlan, indentAt, linesBefore, quoted, setProp, styleOf } from './tsEdits';

const SUPPRESSION_REASON = 'reason: <why this is acceptable>';
/** Where a statement may be inserted before the trail's: a block's or the file's own statements. */
const STATEMENT_LISTS = new Set(['statement_block', 'program']);

export class CdkTrailFixes implements TrailFixes {
  constructor(private readonly trail: CdkConstruct, private readonly keys: CdkConstruct[]) {}

  useKey(ref: ResourceRef): Fix | undefined {
    const key = this.keys.find((k) => k.ref.address === ref.address);
    if (!key?.binding || !isVisibleAt(key, this.trail)) return undefined;
    const edit = this.setKey(key.binding);
    return edit && this.fix(`Encrypt with ${key.ref.address}`, [edit], 'quickfix');
  }

  createKey(): Fix | undefined {
    const { trail } = this;
    const module = trail.module;
    const source = module.source;
    if (!STATEMENT_LISTS.has(trail.statement.parent?.type ?? '') || trail.statement === trail.node) return undefined;
    const scope = argumentsOf(trail.node)[0];
    if (!scope) return undefined;
    const style = styleOf(source);
    const plan = new ImportPlan(module);
    const base = (trail.id ?? 'Trail').replace(/[^0-9A-Za-z]/g, '');
    const variable = unique(`${base.charAt(0).toLowerCase()}${base.slice(1)}Key`, source.text);
    const id = uniqueId(`${base}Key`, source.text, style);
    const indent = indentAt(source, trail.statement);
    const keyClass = plan.ref('aws-cdk-lib/aws-kms', 'Key', 'kms');
    const lines = [
      `${indent}const ${variable} = new ${keyClass}(${module.text(scope)}, ${quoted(id, style)}, {`,
      `${indent}${style.indent}description: ${quoted(CREATED_KEYS.trail.description(trail.ref.address), style)},`,
      `${indent}${style.indent}enableKeyRotation: true,`,
      `${indent}})${style.semicolon}`,
    ];
    for (const statement of statementsFor(['encrypt', 'describe'], CDK_PARAMS)) {
      const written = statementLines(statement, plan, style, indent);
      lines.push(`${indent}${variable}.addToResourcePolicy(${written[0]}`, ...written.slice(1, -1), `${written[written.length - 1]})${style.semicolon}`);
    }
    const setKey = this.setKey(variable);
    if (!setKey) return undefined;
    return this.fix(CREATED_KEYS.trail.title, [...plan.edits(), linesBefore(source, trail.statement, lines), setKey], 'quickfix', true);
  }

  suppress(ruleId: RuleId): Fix | undefined {
    const { source } = this.trail.module;
    const comment = `${indentAt(source, this.trail.statement)}// cloudtrail-kms-lint:ignore ${ruleId} ${SUPPRESSION_REASON}`;
    return this.fix(`Suppress ${ruleId} for ${this.trail.ref.address}`, [linesBefore(source, this.trail.statement, [comment])], 'suppress');
  }

  enableLogFileValidation(): Fix | undefined {
    const name = this.trail.kind === 'Trail' ? 'enableFileValidation' : 'enableLogFileValidation';
    const written = this.trail.propsByName.get(name);
    if (written && this.trail.module.text(written.value) === 'true') return undefined;
    const edit = setProp(this.trail.module, this.trail.node, this.trail.props, name, 'true');
    return edit && this.fix('Turn on log file validation', [edit], 'quickfix');
  }

  /** `encryptionKey: key` on a `Trail`, `kmsKeyId: key.keyArn` on a `CfnTrail`. */
  private setKey(binding: string): TextEdit | undefined {
    if (this.trail.propsOpen) return undefined;
    const l2 = this.trail.kind === 'Trail';
    const name = l2 ? (this.trail.propsByName.has('kmsKey') && !this.trail.propsByName.has('encryptionKey') ? 'kmsKey' : 'encryptionKey') : 'kmsKeyId';
    return setProp(this.trail.module, this.trail.node, this.trail.props, name, l2 ? binding : `${binding}.keyArn`);
  }

  private fix(title: string, edits: TextEdit[], kind: Fix['kind'], isPreferred = false): Fix {
    return { title, edits: [{ uri: this.trail.module.uri, edits }], kind, ...(isPreferred ? { isPreferred } : {}) };
  }
}

/** A key's binding can be named at the trail: same file, written before it, in a scope around it (or a field of the same class). */
function isVisibleAt(key: CdkConstruct, trail: CdkConstruct): boolean {
  if (key.module !== trail.module || !key.binding || key.statement.start >= trail.node.start) return false;
  if (key.binding.startsWith('this.')) return enclosing(key.node, 'class_body') === enclosing(trail.node, 'class_body');
  const scope = key.statement.parent;
  for (let n = trail.node.parent; n; n = n.parent) if (n === scope) return true;
  return false;
}

function enclosing(node: CdkConstruct['node'], type: string): CdkConstruct['node'] | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === type) return n;
  return undefined;
}

/** A name not yet written in the file. */
function unique(name: string, text: string): string {
  let candidate = name;
  for (let i = 2; new RegExp(`\\b${candidate}\\b`).test(text); i++) candidate = `${name}${i}`;
  return candidate;
}

function uniqueId(id: string, text: string, style: { quote: string }): string {
  let candidate = id;
  for (let i = 2; text.includes(`${style.quote}${candidate}${style.quote}`); i++) candidate = `${id}${i}`;
  return candidate;
}
