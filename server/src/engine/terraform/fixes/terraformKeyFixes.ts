/**
 * Quick fixes for a Terraform CloudTrail key or policy document, in the syntax the policy is
 * written in: JSON (a heredoc, a file read by `file()` / `templatefile()`), an HCL object in
 * `jsonencode(…)`, or `aws_iam_policy_document` blocks; and `policy = jsonencode(…)` for a key
 * that has none.
 *
 * The account the new statements name comes from the policy itself (its account principal,
 * as written), else `data "aws_caller_identity"` (an existing one, or one the fix adds) where
 * `${…}` means Terraform interpolation. A JSON file read verbatim has no way to say "this
 * account", so it only gets a fix when the policy already names one.
 */
import type { Fix, Location, RuleId, TextEdit } from '../../types';
import { rangeContains } from '../../types';
import type { Block } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { TerraformModule } from '../evaluate/terraformModule';
import type { ResourceRef, Value } from '../../model/values';
import { keyPolicyFor, type KeyUse, type RequiredStatementParams, type RequiredStatementPurpose } from '../../policy/requiredStatements';
import { parsePolicy } from '../../policy/parsePolicy';
import type { ParsedPolicy, PolicyProblem, Statement } from '../../policy/types';
import type { KeyFixes } from '../../analysis/keyFacts';
import type { FixTrail } from '../../analysis/keyUsage';
import type { TerraformPolicyReader } from '../facts/terraformPolicies';
import { HclDocument } from './hclEdits';
import { renderHcl } from '../../edits/hclRender';
import { isNativeConfiguration } from '../moduleFiles';
import { baseNameOfUri } from '../../workspace/files';
import {
  ADD_POLICY_TITLES, ADD_STATEMENT_TITLES, CONDITION_TITLES, ENABLE_ROTATION_TITLE, NO_ACCOUNT, accountFromPolicy, conditionFor, correctionFor, namesAnAccount, statementsFor,
  type AddedCondition,
} from '../../edits/policyFixPlans';
import { elementOwner, insertCondition, insertStatements, policyFix, replaceString, type EditSite, type FileEdit } from '../../edits/policyObjectEdits';
import { renderDocumentConditions, renderDocumentStatement } from '../../edits/policyRender';

export interface TerraformKeyFixContext {
  module: TerraformModule;
  reader: TerraformPolicyReader;
  /** What a suppression comment goes above: the key, the `aws_kms_key_policy`, or the document. */
  target: ResourceRef;
  policy: Value | undefined;
  /** The key itself, for rotation and for adding a policy. */
  key?: ResourceRef;
  /** Set when the policy is this `aws_iam_policy_document`. */
  document?: ResourceRef;
  /** The one trail that uses the key, for the trail ARN the statements name. */
  trail?: FixTrail;
}

type Interpolation = 'terraform' | 'template' | 'none';
type Site = (EditSite & { interpolation: Interpolation }) | { syntax: 'document'; uri: string; interpolation: 'terraform' };

export class TerraformKeyFixes implements KeyFixes {
  private parsedPolicy: ParsedPolicy | undefined;

  constructor(private readonly context: TerraformKeyFixContext) {}

  suppress(ruleId: RuleId, on: 'policy' | 'key' = 'policy'): Fix | undefined {
    // A finding about the key itself (its rotation) is suppressed above the key, not above an `aws_kms_key_policy` for it.
    const target = on === 'key' && this.context.key ? this.context.key : this.context.target;
    const doc = this.hclDocument(target.uri);
    const edit = doc?.commentAbove(target.block, `# cloudtrail-kms-lint:ignore ${ruleId} reason: <why this is acceptable>`);
    return edit && policyFix(`Suppress ${ruleId} for ${target.address}`, [{ uri: target.uri, edit }], 'suppress');
  }

  enableRotation(): Fix | undefined {
    const key = this.context.key;
    const doc = key && this.hclDocument(key.uri);
    const edits = key && doc?.setAttribute(key.block, 'enable_key_rotation', 'true');
    return edits && policyFix(ENABLE_ROTATION_TITLE, edits.map((edit) => ({ uri: key.uri, edit })));
  }

  addPolicy(use: KeyUse = 'trail'): Fix | undefined {
    const key = this.context.key;
    const doc = key && this.hclDocument(key.uri);
    if (!key || !doc || this.context.policy || findAttribute(key.block, 'policy')) return undefined;
    const account = this.terraformAccount(key);
    const indent = doc.bodyIndent(key.block);
    const edits = doc.insertAttribute(key.block, 'policy', `jsonencode(${renderHcl(keyPolicyFor(use, account.params), indent, doc.indentUnit())})`);
    return edits && policyFix(ADD_POLICY_TITLES[use], [...edits.map((edit) => ({ uri: key.uri, edit })), ...account.edits], 'quickfix', true);
  }

  addStatements(purposes: RequiredStatementPurpose[]): Fix | undefined {
    const policy = this.context.policy;
    if (!policy || purposes.length === 0) return undefined;
    const title = ADD_STATEMENT_TITLES[purposes[0]];
    const document = this.context.document;
    // Statements that name no account need neither the policy's account nor a data source for it.
    const accountFor = (site: Site): { params: RequiredStatementParams; edits: FileEdit[] } | undefined =>
      namesAnAccount(purposes) ? this.paramsFor(site) : { params: NO_ACCOUNT, edits: [] };
    if (document) {
      const account = accountFor({ syntax: 'document', uri: document.uri, interpolation: 'terraform' });
      const edit = account && this.insertStatementBlocks(document.block, document.uri, statementsFor(purposes, account.params));
      return edit && policyFix(title, [{ uri: document.uri, edit }, ...account.edits]);
    }
    const list = policy.kind === 'object' ? policy.entries.get('Statement') : undefined;
    const site = this.siteOf(list?.origin);
    const account = site && accountFor(site);
    const edit = account && insertStatements(policy, statementsFor(purposes, account.params), (o) => this.editSiteOf(o));
    return edit && account && policyFix(title, [edit, ...account.edits]);
  }

  addCondition(statement: Statement, condition: AddedCondition): Fix | undefined {
    const site = this.siteOf(statement.origin);
    const account = site && this.paramsFor(site);
    if (!site || !account || !statement.origin) return undefined;
    const { operator, key, value } = conditionFor(condition, account.params);
    let edit: FileEdit | undefined;
    if (site.syntax === 'document') {
      const block = this.statementBlock(statement.origin);
      const doc = block && this.hclDocument(site.uri);
      const rendered = block && doc && renderDocumentConditions({ [operator]: { [key]: value } }, doc.bodyIndent(block), doc.indentUnit());
      const text = rendered && block && doc ? appendToBlock(doc, block, rendered) : undefined;
      edit = text && { uri: site.uri, edit: text };
    } else {
      edit = insertCondition(statement, { operator, key, value }, (o) => this.editSiteOf(o));
    }
    return edit && policyFix(CONDITION_TITLES[condition], [edit, ...account.edits]);
  }

  correct(problem: PolicyProblem): Fix | undefined {
    const correction = correctionFor(problem);
    if (!correction || !problem.origin) return undefined;
    if (correction.isElementName && this.hasElement(problem, correction.replacement)) return undefined;
    const edit = replaceString(problem.origin, correction.written, correction.replacement, (o) => this.editSiteOf(o));
    return edit && policyFix(correction.title, [edit], 'quickfix', true);
  }

  private hasElement(problem: PolicyProblem, element: string): boolean {
    const owner = this.context.policy && elementOwner(this.context.policy, problem);
    return owner?.kind !== 'object' || owner.entries.has(element);
  }

  private parsed(): ParsedPolicy | undefined {
    if (!this.parsedPolicy && this.context.policy) this.parsedPolicy = parsePolicy(this.context.policy);
    return this.parsedPolicy;
  }

  /** Where an origin is written: document blocks, JSON text (with what `${…}` means there), or HCL. */
  private siteOf(origin: Location | undefined): Site | undefined {
    if (!origin) return undefined;
    const document = this.context.document;
    if (document && origin.uri === document.uri && rangeContains(document.block.range, origin.range) && this.hclDocument(origin.uri)) {
      return { syntax: 'document', uri: origin.uri, interpolation: 'terraform' };
    }
    const region = this.context.reader.jsonRegions.find((r) => r.location.uri === origin.uri && rangeContains(r.location.range, origin.range));
    const lines = this.context.reader.lines(origin.uri);
    if (!lines) return undefined;
    if (region) return { uri: origin.uri, lines, syntax: 'json', interpolation: region.interpolation };
    return this.hclDocument(origin.uri) ? { uri: origin.uri, lines, syntax: 'hcl', interpolation: 'terraform' } : undefined;
  }

  /** A site for JSON/HCL text edits; a document's strings are plain HCL strings. */
  private editSiteOf(origin: Location | undefined): EditSite | undefined {
    const site = this.siteOf(origin);
    if (site?.syntax !== 'document') return site;
    const lines = this.context.reader.lines(site.uri);
    return lines && { uri: site.uri, lines, syntax: 'hcl' };
  }

  /** The account and partition to write at a site, and any data source that needs adding. */
  private paramsFor(site: Site): { params: RequiredStatementParams; edits: FileEdit[] } | undefined {
    const parsed = this.parsed();
    const sameSyntax = (origin: Location | undefined): boolean => {
      const other = this.siteOf(origin);
      return other !== undefined && other.uri === site.uri && other.interpolation === site.interpolation &&
        (other.syntax === site.syntax || (other.syntax !== 'json' && site.syntax !== 'json'));
    };
    const written = parsed && accountFromPolicy(parsed, sameSyntax);
    const terraform = site.interpolation === 'terraform';
    if (written?.accountId) {
      const partition = written.partition ?? (terraform ? this.partition() : undefined) ?? 'aws';
      const params = { partition, accountId: written.accountId };
      return terraform ? this.forTrail(params, this.context.target, []) : { params, edits: [] };
    }
    return terraform ? this.terraformAccount(this.context.target) : undefined;
  }

  /**
   * `${data.aws_caller_identity.X.account_id}`, and what the trail's ARN takes (see `forTrail`),
   * adding the data sources that are missing after `near`, in one edit.
   */
  private terraformAccount(near: ResourceRef): { params: RequiredStatementParams; edits: FileEdit[] } {
    const partition = this.partition() ?? 'aws';
    const account = this.dataSourceOrNew('aws_caller_identity', 'this_account');
    return this.forTrail({ partition, accountId: `\${data.aws_caller_identity.${account.name}.account_id}` }, near, account.missing ? [account.block] : []);
  }

  /**
   * The trail's ARN as a Terraform site writes it, built from its parts: an organization trail's
   * account is `data.aws_organizations_organization`'s `master_account_id` (its ARN carries the
   * management account, whoever deploys it); with an existing `data "aws_region"` and the trail's
   * name written out, its Region and name, for `aws:SourceArn`. Never the trail's own `arn`: the
   * key's policy would then depend on the trail, which depends on the key.
   */
  private forTrail(params: RequiredStatementParams, near: ResourceRef, blocks: string[]): { params: RequiredStatementParams; edits: FileEdit[] } {
    const trail = this.context.trail;
    const result = { ...params };
    if (trail?.organization) {
      const organization = this.dataSourceOrNew('aws_organizations_organization', 'this_organization');
      if (organization.missing) blocks.push(organization.block);
      result.trailAccountId = `\${data.aws_organizations_organization.${organization.name}.master_account_id}`;
    }
    const region = this.dataSource('aws_region');
    if (trail?.name && region) Object.assign(result, { region: `\${data.aws_region.${region}.id}`, trailName: trail.name });
    const doc = blocks.length > 0 ? this.hclDocument(near.uri) : undefined;
    return { params: result, edits: doc ? [{ uri: near.uri, edit: doc.insertAfter(near.block, blocks.join('\n\n')) }] : [] };
  }

  /** An existing one-instance data source of this type, or the name and block of one to add. */
  private dataSourceOrNew(type: string, otherName: string): { name: string; missing: boolean; block: string } {
    const existing = this.dataSource(type);
    if (existing) return { name: existing, missing: false, block: '' };
    const name = this.context.module.resources.has(`data.${type}.current`) ? otherName : 'current';
    return { name, missing: true, block: `data "${type}" "${name}" {}` };
  }

  private partition(): string | undefined {
    const name = this.dataSource('aws_partition');
    return name && `\${data.aws_partition.${name}.partition}`;
  }

  /** An existing data source of the module that is one instance (no count / for_each). */
  private dataSource(type: string): string | undefined {
    return [...this.context.module.resources.values()].find((r) => r.mode === 'data' && r.type === type &&
      !findAttribute(r.block, 'count') && !findAttribute(r.block, 'for_each'))?.name;
  }

  private statementBlock(origin: Location): Block | undefined {
    return this.context.document?.block.blocks.find((b) => b.type === 'statement' && sameRange(b.range, origin.range));
  }

  /** New `statement` blocks after the document's last statement (or last attribute). */
  private insertStatementBlocks(block: Block, uri: string, statements: ReturnType<typeof statementsFor>): TextEdit | undefined {
    const doc = this.hclDocument(uri);
    if (!doc) return undefined;
    const indent = doc.bodyIndent(block);
    return appendToBlock(doc, block, statements.map((s) => renderDocumentStatement(s, indent, doc.indentUnit())));
  }

  /** Native Terraform files only: a `.tf.json` file is not edited as HCL. */
  private hclDocument(uri: string): HclDocument | undefined {
    const file = this.context.module.files.find((f) => f.uri === uri);
    return file?.format === 'terraform' && isNativeConfiguration(baseNameOfUri(uri).toLowerCase()) ? new HclDocument(file.text) : undefined;
  }
}

/** Nested blocks appended at the end of a block's body, one blank line before each. */
function appendToBlock(doc: HclDocument, block: Block, rendered: string[]): TextEdit | undefined {
  if (!block.bodyRange || rendered.length === 0) return undefined;
  const indent = doc.bodyIndent(block);
  const children = [...block.attributes.map((a) => a.range), ...block.blocks.map((b) => b.range)];
  const last = children.sort((a, b) => a.end.line - b.end.line || a.end.character - b.end.character).pop();
  const text = (r: string): string => `${indent}${r.replace(/\n/g, doc.eol)}`;
  if (last && last.end.line < block.bodyRange.end.line) {
    return { range: { start: last.end, end: last.end }, newText: rendered.map((r) => `${doc.eol}${doc.eol}${text(r)}`).join('') };
  }
  if (last) return undefined;
  const body = rendered.map(text).join(`${doc.eol}${doc.eol}`);
  return { range: block.bodyRange, newText: `${doc.eol}${body}${doc.eol}${doc.blockIndent(block)}` };
}

const sameRange = (a: Location['range'], b: Location['range']): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
