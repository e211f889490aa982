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
import { keyPolicyFor, type JsonObject, type KeyUse, type RequiredStatementParams, type RequiredStatementPurpose } from '../../policy/requiredStatements';
import { parsePolicy } from '../../policy/parsePolicy';
import type { ParsedPolicy, PolicyProblem, Statement } from '../../policy/types';
import type { KeyFixes } from '../../analysis/keyFacts';
import type { FixTrail } from '../../analysis/keyUsage';
import type { TerraformPolicyReader } from '../facts/terraformPolicies';
import { HclDocument } from './hclEdits';
import { TerraformJsonDocument } from './terraformJsonEdits';
import { uniqueName } from './hclTrailFixes';
import { appendStatementsInString } from './terraformJsonStrings';
import { renderHcl } from '../../edits/hclRender';
import { isNativeConfiguration, isTerraformConfiguration } from '../moduleFiles';
import { baseNameOfUri } from '../../workspace/files';
import {
  ADD_POLICY_TITLES, ADD_STATEMENT_TITLES, CONDITION_TITLES, ENABLE_ROTATION_TITLE, NO_ACCOUNT, accountFromPolicy, conditionFor, correctionFor, namesAnAccount, statementsFor,
  type AddedCondition,
} from '../../edits/policyFixPlans';
import { elementOwner, insertCondition, insertStatements, policyFix, replaceString, type EditSite, type FileEdit } from '../../edits/policyObjectEdits';
import { documentStatementJson, renderDocumentConditions, renderDocumentStatement, renderJson } from '../../edits/policyRender';
import { appendMembers } from '../../edits/policyTextEdits';

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
    const comment = `cloudtrail-kms-lint:ignore ${ruleId} reason: <why this is acceptable>`;
    const json = this.jsonDocument(target.uri);
    const doc = this.hclDocument(target.uri);
    const edits = json ? json.comment(target.block, comment) : doc && [doc.commentAbove(target.block, `# ${comment}`)];
    return edits && policyFix(`Suppress ${ruleId} for ${target.address}`, edits.map((edit) => ({ uri: target.uri, edit })), 'suppress');
  }

  enableRotation(): Fix | undefined {
    const key = this.context.key;
    const json = key && this.jsonDocument(key.uri);
    const edits = key && (json ? json.setArgument(key.block, 'enable_key_rotation', true) : this.hclDocument(key.uri)?.setAttribute(key.block, 'enable_key_rotation', 'true'));
    return edits && key && policyFix(ENABLE_ROTATION_TITLE, edits.map((edit) => ({ uri: key.uri, edit })));
  }

  addPolicy(use: KeyUse = 'trail'): Fix | undefined {
    const key = this.context.key;
    const json = key && this.jsonDocument(key.uri);
    if (json && key) return this.addJsonPolicy(json, key, use);
    const doc = key && this.hclDocument(key.uri);
    if (!key || !doc || this.context.policy || findAttribute(key.block, 'policy')) return undefined;
    const account = this.terraformAccount(key);
    if (!account) return undefined;
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
      const statements = account && statementsFor(purposes, account.params);
      const edit = statements && (this.jsonDocument(document.uri) ? this.insertJsonStatements(document, statements) : this.insertStatementBlocks(document.block, document.uri, statements));
      return edit && policyFix(title, [{ uri: document.uri, edit }, ...account.edits]);
    }
    const list = policy.kind === 'object' ? policy.entries.get('Statement') : undefined;
    const site = this.siteOf(list?.origin);
    const account = site && accountFor(site);
    const statements = account && statementsFor(purposes, account.params);
    const edit = statements && (insertStatements(policy, statements, (o) => this.editSiteOf(o)) ?? this.insertInString(list?.origin, statements));
    return edit && account && policyFix(title, [edit, ...account.edits]);
  }

  /**
   * A Terraform JSON key whose policy is missing: `"policy": "${jsonencode(local.<key>_key_policy)}"`
   * and the policy as a JSON object in `locals`, as "Create a KMS key" writes it there.
   */
  private addJsonPolicy(json: TerraformJsonDocument, key: ResourceRef, use: KeyUse): Fix | undefined {
    if (this.context.policy || findAttribute(key.block, 'policy')) return undefined;
    const account = this.dataSourceOrNew('aws_caller_identity', 'this_account');
    const missing = account.missing ? [account] : [];
    const params = this.trailParams({ partition: this.partition() ?? 'aws', accountId: `\${data.aws_caller_identity.${account.name}.account_id}` }, missing);
    const local = uniqueName(`${key.name}_key_policy`, (n) => this.context.module.locals.has(n));
    const setPolicy = json.setArgument(key.block, 'policy', `\${jsonencode(local.${local})}`);
    const added = setPolicy && json.add({ locals: [[local, keyPolicyFor(use, params)]], data: missing.map(({ type, name }) => ({ type, name, body: {} })) });
    return added && setPolicy && policyFix(ADD_POLICY_TITLES[use], [...setPolicy, ...added].map((edit) => ({ uri: key.uri, edit })), 'quickfix', true);
  }

  /** Statements appended inside a policy a Terraform JSON file holds in one string. */
  private insertInString(origin: Location | undefined, statements: ReturnType<typeof statementsFor>): FileEdit | undefined {
    const lines = origin && this.jsonDocument(origin.uri) && this.context.reader.lines(origin.uri);
    const edit = lines && origin && appendStatementsInString(lines, origin.range.start, statements, this.context.module.parseExpression);
    return edit && origin && { uri: origin.uri, edit };
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
    if (document && origin.uri === document.uri && rangeContains(document.block.range, origin.range) && (this.hclDocument(origin.uri) || this.jsonDocument(origin.uri))) {
      return { syntax: 'document', uri: origin.uri, interpolation: 'terraform' };
    }
    const region = this.context.reader.jsonRegions.find((r) => r.location.uri === origin.uri && rangeContains(r.location.range, origin.range));
    const lines = this.context.reader.lines(origin.uri);
    if (!lines) return undefined;
    if (region) return { uri: origin.uri, lines, syntax: 'json', interpolation: region.interpolation };
    // Terraform JSON: what is written there is JSON, and its strings are templates.
    if (this.jsonDocument(origin.uri)) return { uri: origin.uri, lines, syntax: 'json', interpolation: 'terraform' };
    return this.hclDocument(origin.uri) ? { uri: origin.uri, lines, syntax: 'hcl', interpolation: 'terraform' } : undefined;
  }

  /** A site for JSON/HCL text edits; a document's strings are plain HCL strings. */
  private editSiteOf(origin: Location | undefined): EditSite | undefined {
    const site = this.siteOf(origin);
    if (site?.syntax !== 'document') return site;
    const lines = this.context.reader.lines(site.uri);
    return lines && { uri: site.uri, lines, syntax: this.jsonDocument(site.uri) ? 'json' : 'hcl' };
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
   * adding the data sources that are missing after `near`, in one edit; undefined when they
   * cannot be added there (a statement naming them would not plan).
   */
  private terraformAccount(near: ResourceRef): { params: RequiredStatementParams; edits: FileEdit[] } | undefined {
    const partition = this.partition() ?? 'aws';
    const account = this.dataSourceOrNew('aws_caller_identity', 'this_account');
    return this.forTrail({ partition, accountId: `\${data.aws_caller_identity.${account.name}.account_id}` }, near, account.missing ? [account] : []);
  }

  /**
   * The trail's ARN as a Terraform site writes it, built from its parts: an organization trail's
   * account is `data.aws_organizations_organization`'s `master_account_id` (its ARN carries the
   * management account, whoever deploys it); with an existing `data "aws_region"` and the trail's
   * name written out, its Region and name, for `aws:SourceArn`. Never the trail's own `arn`: the
   * key's policy would then depend on the trail, which depends on the key. The data sources in
   * `missing` (and the organization's, when it is needed) are added after `near`, in the file's syntax.
   */
  private forTrail(params: RequiredStatementParams, near: ResourceRef, missing: { type: string; name: string }[]): { params: RequiredStatementParams; edits: FileEdit[] } | undefined {
    const result = this.trailParams(params, missing);
    if (missing.length === 0) return { params: result, edits: [] };
    const json = this.jsonDocument(near.uri);
    const doc = this.hclDocument(near.uri);
    const added = json
      ? json.add({ data: missing.map(({ type, name }) => ({ type, name, body: {} })) })
      : doc && [doc.insertAfter(near.block, missing.map(({ type, name }) => `data "${type}" "${name}" {}`).join('\n\n'))];
    return added && { params: result, edits: added.map((edit) => ({ uri: near.uri, edit })) };
  }

  /** `params` with the trail's ARN parts (see `forTrail`); a data source they need and the module lacks is pushed to `missing`. */
  private trailParams(params: RequiredStatementParams, missing: { type: string; name: string }[]): RequiredStatementParams {
    const trail = this.context.trail;
    const result = { ...params };
    if (trail?.organization) {
      const organization = this.dataSourceOrNew('aws_organizations_organization', 'this_organization');
      if (organization.missing) missing.push(organization);
      result.trailAccountId = `\${data.aws_organizations_organization.${organization.name}.master_account_id}`;
    }
    const region = this.dataSource('aws_region');
    if (trail?.name && region) Object.assign(result, { region: `\${data.aws_region.${region}.id}`, trailName: trail.name });
    return result;
  }

  /** An existing one-instance data source of this type, or the name of one to add. */
  private dataSourceOrNew(type: string, otherName: string): { type: string; name: string; missing: boolean } {
    const existing = this.dataSource(type);
    if (existing) return { type, name: existing, missing: false };
    const name = this.context.module.resources.has(`data.${type}.current`) ? otherName : 'current';
    return { type, name, missing: true };
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

  /** A Terraform JSON configuration file (not `.tfvars.json`, whose strings are not templates). */
  private jsonDocument(uri: string): TerraformJsonDocument | undefined {
    const file = this.context.module.files.find((f) => f.uri === uri);
    return file?.format === 'terraform-json' && isTerraformConfiguration(baseNameOfUri(uri).toLowerCase()) ? new TerraformJsonDocument(file.text) : undefined;
  }

  /** New objects at the end of a Terraform JSON document's `"statement"` array. */
  private insertJsonStatements(document: ResourceRef, statements: ReturnType<typeof statementsFor>): TextEdit | undefined {
    const list = findAttribute(document.block, 'statement')?.value;
    const lines = this.context.reader.lines(document.uri);
    if (list?.kind !== 'tuple' || !lines) return undefined;
    const render = (s: JsonObject) => (indent: string, unit: string): string => renderJson(documentStatementJson(s), indent, unit);
    return appendMembers({ lines, range: list.range, members: list.items.map((i) => i.range) }, statements.map(render), 'json', 'list');
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
