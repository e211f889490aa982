/**
 * Quick fixes for a CloudFormation trail, in the template's own syntax and style: YAML or
 * JSON, short-form tags (`!GetAtt Key.Arn`) or long form (`Fn::GetAtt: [Key, Arn]`), the
 * template's indentation. Edits go through `YamlDocument` / `JsonDocument`, which only insert
 * or replace what they target; a minified JSON template gets no fix rather than a rewrite.
 */
import type { Fix, RuleId, TextEdit } from '../../types';
import type { Attribute, Block, ObjectEntry, ObjectExpr, SourceFile, TupleExpr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import { propertiesOf, type CloudFormationTemplate } from '../facts/cloudformationEvaluator';
import type { ResourceRef } from '../../model/values';
import type { TrailFixes } from '../../analysis/facts';
import { looksLikeJson } from '../parse/cfnDetect';
import { keyPolicyFor, type KeyUse } from '../../policy/requiredStatements';
import { CREATED_KEYS } from '../../edits/createdKeys';
import { isPlainTrailName, type FixTrail } from '../../analysis/keyUsage';
import { paramsForTrail } from './cloudformationKeyFixes';
import { getAtt, ref, type CfnStyle, type JsonValue } from './cfnRender';
import { JsonDocument } from '../../edits/jsonEdits';
import { YamlDocument, blockAsMapping, mergeInserts } from './yamlEdits';

const KEY_PROPERTY = 'KMSKeyId';

/** Our key in a resource's `Metadata`, read by `cloudformationSuppressions.ts`. */
const METADATA_KEY = 'cloudtrail-kms-lint';
const SUPPRESSION_REASON = 'reason: <why this is acceptable>';

export class CfnTrailFixes implements TrailFixes {
  constructor(
    readonly template: CloudFormationTemplate,
    readonly trail: ResourceRef,
    readonly keyAttribute: Attribute | undefined,
    readonly misspelledKeyAttribute: Attribute | undefined,
    /** What a created key is for, and the property that names it (a store's `KmsKeyId`, a topic's `KmsMasterKeyId`). */
    readonly use: KeyUse = 'trail',
    readonly keyProperty = KEY_PROPERTY,
  ) {}

  useKey(key: ResourceRef): Fix | undefined {
    // A key that exists only under a condition the trail does not share would leave the trail
    // pointing at nothing when the condition is false: CloudFormation rejects that template.
    const keyCondition = conditionOf(key);
    if (keyCondition !== undefined && keyCondition !== conditionOf(this.trail)) return undefined;
    if (!isSymmetricEncryptionKey(key)) return undefined;
    const edits = this.setKeyEdits(keyReference(key));
    return edits && this.fix(`Encrypt with ${key.address}`, edits);
  }

  createKey(): Fix | undefined {
    const editor = editorFor(this.template.file);
    if (!editor) return undefined;
    const keyName = this.uniqueLogicalId(this.keyNameBase);
    const aliasName = this.uniqueLogicalId(`${keyName}Alias`);
    const setKey = this.setKeyEdits(getAtt(keyName, 'Arn'));
    const trailEntry = { keyRange: this.trail.block.headerRange, range: this.trail.block.range };
    // The key and alias exist exactly when the trail does.
    const condition = conditionOf(this.trail);
    const conditional: { [key: string]: JsonValue } = condition === undefined ? {} : { Condition: condition };
    const resources = editor.insertAfter(trailEntry, [
      [keyName, {
        Type: 'AWS::KMS::Key',
        ...conditional,
        Properties: {
          Description: CREATED_KEYS[this.use].description(this.trail.name),
          EnableKeyRotation: true,
          PendingWindowInDays: 30,
          KeyPolicy: keyPolicyFor(this.use, paramsForTrail(this.use === 'trail' ? this.writtenTrail() : undefined)),
        },
      }],
      [aliasName, {
        Type: 'AWS::KMS::Alias',
        ...conditional,
        Properties: { AliasName: this.aliasName(keyName), TargetKeyId: ref(keyName) },
      }],
    ]);
    if (!setKey || !resources) return undefined;
    return {
      ...this.fix(CREATED_KEYS[this.use].title, mergeInserts([...setKey, resources])),
      isPreferred: ![...this.template.resources.values()].some((r) => r.type === 'AWS::KMS::Key'),
    };
  }

  renameMisspelled(): Fix | undefined {
    const editor = editorFor(this.template.file);
    const misspelled = this.misspelledKeyAttribute;
    if (!editor || !misspelled || this.keyAttribute) return undefined;
    const property = this.keyProperty;
    return this.fix(`Rename ${misspelled.name} to ${property}`, [editor.rename({ keyRange: misspelled.nameRange }, property)]);
  }

  suppress(ruleId: RuleId): Fix | undefined {
    const editor = editorFor(this.template.file);
    if (!editor) return undefined;
    const edit = editor.kind === 'yaml'
      ? editor.doc.commentAbove(this.trail.block.headerRange.start, `# cloudtrail-kms-lint:ignore ${ruleId} ${SUPPRESSION_REASON}`)
      : this.suppressInMetadata(editor, ruleId);
    return edit && { title: `Suppress ${ruleId} for ${this.trail.address}`, edits: [{ uri: this.trail.uri, edits: [edit] }], kind: 'suppress' };
  }

  enableLogFileValidation(): Fix | undefined {
    const current = propertiesOf(this.trail)?.entries.find((e) => e.key === 'EnableLogFileValidation')?.value;
    if (current?.kind === 'literal' && current.value === true) return undefined;
    const edit = this.setProperty('EnableLogFileValidation', true);
    return edit && this.fix('Turn on log file validation', [edit]);
  }

  // ---- edits ----------------------------------------------------------------------------------

  private fix(title: string, edits: TextEdit[]): Fix {
    return { title, edits: [{ uri: this.trail.uri, edits }], kind: 'quickfix' };
  }

  /**
   * `KMSKeyId` set to `value`: the value replaced when the property is written; a misspelled
   * `KmsKeyId` renamed and its value replaced (leaving it beside a new `KMSKeyId` would keep a
   * property CloudFormation rejects); else inserted into `Properties`.
   */
  private setKeyEdits(value: JsonValue): TextEdit[] | undefined {
    const editor = editorFor(this.template.file);
    const properties = propertiesOf(this.trail);
    if (!editor) return undefined;
    const written = this.keyAttribute ?? this.misspelledKeyAttribute;
    if (written && properties) {
      const replace = editor.replace(properties, entryOf(written), value);
      if (!replace) return undefined;
      return written === this.keyAttribute ? [replace] : [editor.rename({ keyRange: written.nameRange }, this.keyProperty), replace];
    }
    const edit = this.setProperty(this.keyProperty, value);
    return edit && [edit];
  }

  /** Sets a property of the trail, adding `Properties` when the resource has none. */
  private setProperty(name: string, value: JsonValue): TextEdit | undefined {
    const editor = editorFor(this.template.file);
    if (!editor) return undefined;
    const properties = propertiesOf(this.trail);
    if (properties) return editor.set(properties, name, value);
    const resource = blockAsMapping(this.trail.block);
    const written = findAttribute(this.trail.block, 'Properties');
    if (!resource) return undefined;
    if (!written) {
      // Where templates keep it: after `Type` and the attributes written before it (Condition,
      // DependsOn, Metadata), ahead of the policies (DeletionPolicy, UpdatePolicy …) that may follow.
      const attributes = this.trail.block.attributes;
      const anchor = attributes.filter((a) => BEFORE_PROPERTIES.has(a.name)).at(-1);
      const later = anchor && attributes.some((a) => a.range.start.line > anchor.range.end.line);
      return anchor && later ? editor.insertBeside(entryOf(anchor), [['Properties', { [name]: value }]]) : editor.set(resource, 'Properties', { [name]: value });
    }
    // `Properties:` with nothing after it (or `null`): the mapping is still to be written.
    const empty = written.value.kind === 'literal' && written.value.value === null;
    return empty ? editor.replace(resource, entryOf(written), { [name]: value }) : undefined;
  }

  /**
   * JSON has no comments: `Metadata: {"cloudtrail-kms-lint": {"ignore": [id]}}`, added to the
   * resource, to its `Metadata`, or to our entry's `ignore` list, whichever exists.
   */
  private suppressInMetadata(editor: TemplateEditor, ruleId: RuleId): TextEdit | undefined {
    const resource = blockAsMapping(this.trail.block);
    if (!resource) return undefined;
    const metadata = findAttribute(this.trail.block, 'Metadata')?.value;
    if (!metadata) return editor.set(resource, 'Metadata', { [METADATA_KEY]: { ignore: [ruleId] } });
    if (metadata.kind !== 'object') return undefined;
    const ours = metadata.entries.find((e) => e.key === METADATA_KEY)?.value;
    if (!ours) return editor.set(metadata, METADATA_KEY, { ignore: [ruleId] });
    if (ours.kind !== 'object') return undefined;
    const ignore = ours.entries.find((e) => e.key === 'ignore')?.value;
    if (!ignore) return editor.set(ours, 'ignore', [ruleId]);
    if (ignore.kind !== 'tuple' || ignore.items.some((i) => i.kind === 'literal' && i.value === ruleId)) return undefined;
    return editor.appendItem(ignore, ruleId);
  }

  /** The trail's name and organization flag as written in it (a name from a parameter may be overridden). */
  private writtenTrail(): FixTrail {
    const entries = propertiesOf(this.trail)?.entries ?? [];
    const literal = (key: string): string | number | boolean | null | undefined => {
      const value = entries.find((e) => e.key === key)?.value;
      return value?.kind === 'literal' ? value.value : undefined;
    };
    const name = literal('TrailName');
    const organization = literal('IsOrganizationTrail');
    return { name: typeof name === 'string' && isPlainTrailName(name) ? name : undefined, organization: organization === true || organization === 'true' };
  }

  private uniqueLogicalId(base: string): string {
    const taken = (id: string): boolean => this.template.resources.has(id) || this.template.parameters.has(id) || this.template.conditions.has(id);
    if (!taken(base)) return base;
    for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
  }

  /** `TrailLogsKey`, `TopicNotificationsKey`. */
  private get keyNameBase(): string {
    const { word } = CREATED_KEYS[this.use];
    return `${this.trail.name}${word[0].toUpperCase()}${word.slice(1)}Key`;
  }

  /**
   * `alias/<trail>-logs`, numbered like the key, and again when an alias of the template already
   * has that name (alias names are unique per account and region).
   */
  private aliasName(keyName: string): string {
    const suffix = keyName.slice(this.keyNameBase.length);
    const base = `alias/${this.trail.name.toLowerCase()}-${CREATED_KEYS[this.use].word}${suffix ? `-${suffix}` : ''}`;
    const taken = new Set([...this.template.resources.values()].filter((r) => r.type === 'AWS::KMS::Alias').map((r) => {
      const name = propertiesOf(r)?.entries.find((e) => e.key === 'AliasName')?.value;
      return name?.kind === 'literal' ? name.value : undefined;
    }));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }
}

/** `!GetAtt Key.Arn` for a key; an alias's `Ref` is its name, which `KMSKeyId` accepts. */
function keyReference(key: ResourceRef): JsonValue {
  return key.type === 'AWS::KMS::Alias' ? ref(key.name) : getAtt(key.name, 'Arn');
}

/** The resource's `Condition`, when it names one. */
function conditionOf(resource: ResourceRef): string | undefined {
  const value = findAttribute(resource.block, 'Condition')?.value;
  return value?.kind === 'literal' && typeof value.value === 'string' ? value.value : undefined;
}

/** False for a key written as asymmetric, HMAC or for signing: CloudTrail cannot encrypt with it (CTK003). */
function isSymmetricEncryptionKey(key: ResourceRef): boolean {
  const written = (name: string): unknown => {
    const value = propertiesOf(key)?.entries.find((e) => e.key === name)?.value;
    return value?.kind === 'literal' ? value.value : undefined;
  };
  const spec = written('KeySpec');
  const usage = written('KeyUsage');
  return (spec === undefined || spec === 'SYMMETRIC_DEFAULT') && (usage === undefined || usage === 'ENCRYPT_DECRYPT');
}

const entryOf = (attribute: Attribute): ObjectEntry => ({ key: attribute.name, keyRange: attribute.nameRange, value: attribute.value, range: attribute.range });

// ---- one editor per template text ---------------------------------------------------------------

/** The edits a fix needs, in the template's format and style. */
interface TemplateEditor {
  kind: 'yaml' | 'json';
  style: CfnStyle;
  set(mapping: ObjectExpr, key: string, value: JsonValue): TextEdit | undefined;
  replace(mapping: ObjectExpr, entry: ObjectEntry, value: JsonValue): TextEdit | undefined;
  rename(entry: { keyRange: ObjectEntry['keyRange'] }, name: string): TextEdit;
  appendItem(sequence: TupleExpr, value: JsonValue): TextEdit | undefined;
  /** New resources right after a resource, in its section. */
  insertAfter(entry: { keyRange: ObjectEntry['keyRange']; range: ObjectEntry['range'] }, entries: [string, JsonValue][]): TextEdit | undefined;
  /** New entries right after an entry of the same mapping, with no blank line between. */
  insertBeside(entry: { keyRange: ObjectEntry['keyRange']; range: ObjectEntry['range'] }, entries: [string, JsonValue][]): TextEdit | undefined;
}

/** The resource attributes templates write before `Properties`. */
const BEFORE_PROPERTIES = new Set(['Type', 'Condition', 'DependsOn', 'Metadata']);

type YamlEditor = TemplateEditor & { kind: 'yaml'; doc: YamlDocument };
type JsonEditor = TemplateEditor & { kind: 'json'; doc: JsonDocument };

/** Every trail of a template shares the template's editor (its layout is read once). */
const editors = new WeakMap<SourceFile, YamlEditor | JsonEditor | null>();

function editorFor(file: SourceFile): YamlEditor | JsonEditor | undefined {
  if (!editors.has(file)) editors.set(file, createEditor(file) ?? null);
  return editors.get(file) ?? undefined;
}

function createEditor(file: SourceFile): YamlEditor | JsonEditor | undefined {
  if (looksLikeJson(file.text)) {
    const doc = new JsonDocument(file.text);
    if (doc.isMinified()) return undefined;
    const style = doc.style();
    return {
      kind: 'json', doc, style,
      set: (mapping, key, value) => doc.setProperty(mapping, key, value, style),
      replace: (mapping, entry, value) => doc.replaceValue(mapping, entry, value, style),
      rename: (entry, name) => doc.renameKey(entry, name),
      appendItem: (sequence, value) => doc.appendItem(sequence, value, style),
      insertAfter: (entry, entries) => doc.insertPropertiesAfter(entry, entries, style),
      insertBeside: (entry, entries) => doc.insertPropertiesAfter(entry, entries, style),
    };
  }
  const doc = new YamlDocument(file.text);
  const style = doc.style(file.blocks, resourceIndentUnit(file.blocks) ?? doc.indentUnit());
  const blankLine = resourcesSeparatedByBlankLines(doc, file.blocks);
  return {
    kind: 'yaml', doc, style,
    set: (mapping, key, value) => doc.setEntry(mapping, key, value, style),
    replace: (mapping, entry, value) => doc.replaceValue(mapping, entry, value, style),
    rename: (entry, name) => doc.renameKey(entry, name),
    appendItem: (sequence, value) => doc.appendItem(sequence, value, style),
    insertAfter: (entry, entries) => doc.insertEntriesAfter(entry, entries, style, blankLine),
    insertBeside: (entry, entries) => doc.insertEntriesAfter(entry, entries, style, false),
  };
}

/** How much deeper a resource's keys sit than its logical id: the template's own unit, exactly. */
function resourceIndentUnit(blocks: Block[]): string | undefined {
  for (const block of blocks) {
    if (block.type !== 'resource') continue;
    const first = block.attributes[0];
    if (!first || first.nameRange.start.line === block.headerRange.start.line) continue;
    const step = first.nameRange.start.character - block.headerRange.start.character;
    if (step > 0) return ' '.repeat(step);
  }
  return undefined;
}

/** Whether most resources are set apart by an empty line (comment lines above a resource are its own). */
function resourcesSeparatedByBlankLines(doc: YamlDocument, blocks: Block[]): boolean {
  const headers = blocks.filter((b) => b.type === 'resource').map((b) => b.headerRange.start.line).sort((a, b) => a - b);
  let blank = 0;
  for (const header of headers.slice(1)) {
    let line = header - 1;
    while (line > 0 && doc.lines.line(line).trim().startsWith('#')) line--;
    if (doc.lines.line(line).trim() === '') blank++;
  }
  return headers.length > 1 && blank * 2 > headers.length - 1;
}
