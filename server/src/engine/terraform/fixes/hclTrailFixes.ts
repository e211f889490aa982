/**
 * Quick fixes for a Terraform trail (or a module call that configures one): point it at a
 * key, create a correctly-policied key for it, or suppress the finding. A trail's notification
 * topic gets the same "create a key" and suppression, for its `kms_master_key_id`. In a Terraform JSON
 * file the same fixes are written as Terraform JSON.
 */
import type { Fix, RuleId, TextEdit } from '../../types';
import type { Attribute } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { TerraformModule } from '../evaluate/terraformModule';
import type { ResourceRef } from '../../model/values';
import type { TrailFixes } from '../../analysis/facts';
import { keyPolicyFor, type JsonObject, type KeyUse } from '../../policy/requiredStatements';
import { CREATED_KEYS } from '../../edits/createdKeys';

/** A store's `kms_key_id` forces a new resource, so the titles of fixes that set it say so. */
const REPLACES: Partial<Record<KeyUse, string>> = { eventDataStore: ' (replaces the store if it already exists)' };
import { HclDocument } from './hclEdits';
import { TerraformJsonDocument } from './terraformJsonEdits';
import { alignedLines, hclString, renderHcl } from '../../edits/hclRender';
import { isNativeConfiguration } from '../moduleFiles';
import { baseNameOfUri } from '../../workspace/files';

interface DataSource {
  type: string;
  name: string;
  exists: boolean;
}

/** `base`, or `base_2`, `base_3`… when it is taken. */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
}

/** Text a Terraform JSON string holds literally: `${` and `%{` would start a template sequence. */
const jsonTemplateLiteral = (text: string): string => text.replace(/([$%])\{/g, '$1$1{');

export class HclTrailFixes implements TrailFixes {
  private document: HclDocument | null | undefined;
  private jsonDocument: TerraformJsonDocument | null | undefined;

  constructor(
    private readonly module: TerraformModule,
    /** The trail, or the module call whose input sets the trail's key. */
    private readonly target: ResourceRef,
    private readonly keyAttribute: Attribute | undefined,
    private readonly moduleInputs?: string[],
    /** What a created key is for, and the setting that names it (a topic's `kms_master_key_id`). */
    private readonly use: KeyUse = 'trail',
    private readonly keySetting = 'kms_key_id',
  ) {}

  /** Indexed on first use: fixes are built only when asked for. */
  private get doc(): HclDocument | undefined {
    if (this.document === undefined) {
      // Native syntax only: HCL written into a `.tf.json` file would break its JSON.
      const file = this.module.files.find((f) => f.uri === this.target.uri);
      this.document = file?.format === 'terraform' && isNativeConfiguration(baseNameOfUri(file.uri).toLowerCase()) ? new HclDocument(file.text) : null;
    }
    return this.document ?? undefined;
  }

  /** The same for a Terraform JSON file, whose fixes are written as JSON. */
  private get json(): TerraformJsonDocument | undefined {
    if (this.jsonDocument === undefined) {
      const file = this.module.files.find((f) => f.uri === this.target.uri);
      this.jsonDocument = file?.format === 'terraform-json' ? new TerraformJsonDocument(file.text) : null;
    }
    return this.jsonDocument ?? undefined;
  }

  private get attributeName(): string {
    return this.moduleInputs?.[0] ?? this.keySetting;
  }

  private setKeyEdit(value: string): TextEdit[] | undefined {
    if (this.json) return this.json.setArgument(this.target.block, this.attributeName, `\${${value}}`);
    if (!this.doc) return undefined;
    if (this.moduleInputs) return this.doc.setAttribute(this.target.block, this.attributeName, value);
    if (this.keyAttribute) return [{ range: this.keyAttribute.value.range, newText: value }];
    return this.doc.insertAttribute(this.target.block, this.attributeName, value);
  }

  useKey(key: ResourceRef): Fix | undefined {
    const edits = this.setKeyEdit(keyArnReference(key));
    if (!edits) return undefined;
    const where = this.moduleInputs ? ` (set ${this.attributeName} of ${this.target.address})` : '';
    return { title: `Encrypt with ${key.address}${where}${REPLACES[this.use] ?? ''}`, edits: [{ uri: this.target.uri, edits }], kind: 'quickfix' };
  }

  createKey(): Fix | undefined {
    if (!this.doc && !this.json) return undefined;
    // snake_case, as Terraform names are written: `my-trail` gets `my_trail_logs`.
    const name = this.uniqueResourceName(`${this.target.name.replace(/[^A-Za-z0-9_]/g, '_')}_${CREATED_KEYS[this.use].word}`);
    const setKey = this.setKeyEdit(`aws_kms_key.${name}.arn`);
    if (!setKey) return undefined;
    const account = this.dataSource('aws_caller_identity');
    const partition = this.dataSource('aws_partition');
    // An organization trail's ARN carries the management account, whoever deploys it.
    const organization = this.isOrganizationTrail() ? this.dataSource('aws_organizations_organization') : undefined;
    const policy = keyPolicyFor(this.use, {
      partition: `\${data.aws_partition.${partition.name}.partition}`,
      accountId: `\${data.aws_caller_identity.${account.name}.account_id}`,
      trailAccountId: organization && `\${data.aws_organizations_organization.${organization.name}.master_account_id}`,
    });
    const data = organization ? [account, partition, organization] : [account, partition];
    const created = this.json ? this.jsonKeyEdits(this.json, name, policy, data) : this.doc && [this.hclKeyEdit(this.doc, name, policy, data)];
    if (!created) return undefined;
    return {
      title: this.moduleInputs
        ? `${CREATED_KEYS[this.use].title} and pass it as ${this.attributeName}`
        : `${CREATED_KEYS[this.use].title}${REPLACES[this.use] ?? ''}`,
      edits: [{ uri: this.target.uri, edits: [...setKey, ...created] }],
      isPreferred: this.module.resources.size > 0 && !this.hasAnyKey(),
      kind: 'quickfix',
    };
  }

  /** The key, its alias and any missing data source, after the block they serve. */
  private hclKeyEdit(doc: HclDocument, name: string, policy: JsonObject, data: DataSource[]): TextEdit {
    const unit = doc.indentUnit();
    const blocks = [
      `resource "aws_kms_key" "${name}" {`,
      ...alignedLines([
        ['description', hclString(CREATED_KEYS[this.use].description(this.trailDescription()))],
        ['enable_key_rotation', 'true'],
        ['deletion_window_in_days', '30'],
        ['policy', `jsonencode(${renderHcl(policy, unit, unit)})`],
      ], unit),
      '}',
      '',
      `resource "aws_kms_alias" "${name}" {`,
      ...alignedLines([
        ['name', hclString(`alias/${name.replace(/_/g, '-')}`)],
        ['target_key_id', `aws_kms_key.${name}.key_id`],
      ], unit),
      '}',
    ];
    for (const source of data) if (!source.exists) blocks.push('', `data "${source.type}" "${source.name}" {}`);
    return doc.insertAfter(this.target.block, blocks.join('\n'));
  }

  /**
   * The same in Terraform JSON: the key and its alias after the trail's type, the policy as a
   * JSON object in `locals` (readable as written, unlike a `"${jsonencode({…})}"` string) that
   * the key's `policy` encodes, and the data sources its statements name.
   */
  private jsonKeyEdits(json: TerraformJsonDocument, name: string, policy: JsonObject, data: DataSource[]): TextEdit[] | undefined {
    const local = uniqueName(`${name}_key_policy`, (n) => this.module.locals.has(n));
    const key: JsonObject = {
      description: jsonTemplateLiteral(CREATED_KEYS[this.use].description(this.trailDescription())),
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: `\${jsonencode(local.${local})}`,
    };
    const alias: JsonObject = { name: `alias/${name.replace(/_/g, '-')}`, target_key_id: `\${aws_kms_key.${name}.key_id}` };
    return json.add({
      resources: [{ type: 'aws_kms_key', name, body: key }, { type: 'aws_kms_alias', name, body: alias }],
      near: this.target.block,
      data: data.filter((d) => !d.exists).map((d) => ({ type: d.type, name: d.name, body: {} })),
      locals: [[local, policy]],
    });
  }

  suppress(ruleId: RuleId): Fix | undefined {
    const comment = `cloudtrail-kms-lint:ignore ${ruleId} reason: <why this is acceptable>`;
    const edits = this.json ? this.json.comment(this.target.block, comment) : this.doc && [this.doc.commentAbove(this.target.block, `# ${comment}`)];
    return edits && { title: `Suppress ${ruleId} for ${this.target.address}`, edits: [{ uri: this.target.uri, edits }], kind: 'suppress' };
  }

  enableLogFileValidation(): Fix | undefined {
    if (this.moduleInputs) return undefined;
    const edits = this.json ? this.json.setArgument(this.target.block, 'enable_log_file_validation', true) : this.doc?.setAttribute(this.target.block, 'enable_log_file_validation', 'true');
    return edits && { title: 'Turn on log file validation', edits: [{ uri: this.target.uri, edits }], kind: 'quickfix' };
  }

  private trailDescription(): string {
    return this.moduleInputs ? `the trail of ${this.target.address}` : this.target.address;
  }

  private hasAnyKey(): boolean {
    return [...this.module.resources.values()].some((r) => r.mode === 'resource' && r.type === 'aws_kms_key');
  }

  /** `is_organization_trail = true` written on the trail itself. */
  private isOrganizationTrail(): boolean {
    const value = this.moduleInputs || this.target.type !== 'aws_cloudtrail' ? undefined : findAttribute(this.target.block, 'is_organization_trail')?.value;
    return value?.kind === 'literal' && value.value === true;
  }

  /** An existing `data "<type>"` of the module, or the one the fix adds. */
  private dataSource(type: string): DataSource {
    const existing = [...this.module.resources.values()].find((r) => r.mode === 'data' && r.type === type && !findAttribute(r.block, 'count') && !findAttribute(r.block, 'for_each'));
    return existing ? { type, name: existing.name, exists: true } : { type, name: 'current', exists: false };
  }

  private uniqueResourceName(base: string): string {
    return uniqueName(base, (n) => this.module.resources.has(`aws_kms_key.${n}`) || this.module.resources.has(`aws_kms_alias.${n}`));
  }
}

/** `aws_kms_key.k.arn`, with `[0]` when the key has `count`, `["…"]` unknown for `for_each`. */
export function keyArnReference(key: ResourceRef): string {
  const counted = findAttribute(key.block, 'count') !== undefined;
  return `${key.address}${counted ? '[0]' : ''}.arn`;
}
