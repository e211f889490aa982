/**
 * A template's top-level mapping → blocks of the common model.
 *
 * - each `Resources` entry → `resource` block labelled `[Type, LogicalId]`, one attribute per
 *   key of the entry (`Type`, `Properties`, `Condition`, `Metadata`, `DependsOn`, …);
 * - `Parameters` / `Outputs` / `Rules` entries → `parameter` / `output` / `rule` blocks, one
 *   attribute per key; `Mappings` entries → `mapping` blocks, values left as written;
 * - each `Conditions` entry → `condition` block with one attribute `Value`;
 * - every other top-level key (`AWSTemplateFormatVersion`, `Description`, `Transform`,
 *   `Metadata`, SAM `Globals`) → an attribute of the one `template` block, listed first.
 */
import type { Attribute, Block, Expr, ObjectEntry, ObjectExpr } from '../../model/syntax';
import { normalizeIntrinsics } from './cfnIntrinsics';
import type { SourceText } from './cfnText';

const SECTION_BLOCK_TYPES: ReadonlyMap<string, string> = new Map([
  ['Resources', 'resource'],
  ['Parameters', 'parameter'],
  ['Conditions', 'condition'],
  ['Outputs', 'output'],
  ['Mappings', 'mapping'],
  ['Rules', 'rule'],
]);

/** Top-level keys whose value is a mapping of named entries. */
export const ENTRY_SECTIONS: ReadonlySet<string> = new Set(SECTION_BLOCK_TYPES.keys());

/** A resource type as CloudFormation writes them: `AWS::S3::Bucket`, `Custom::Thing`, registry `Org::Service::Type`. */
const RESOURCE_TYPE = /^(?:(?:AWS|Custom|Alexa)::[A-Za-z0-9]|[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)/;

/**
 * True when a document's content is a CloudFormation template: a top-level
 * `AWSTemplateFormatVersion`, or a `Resources` mapping with at least one entry typed like a
 * CloudFormation resource. Decided by content, never by file name.
 */
export function isTemplateRoot(root: Expr | undefined): root is ObjectExpr {
  if (root?.kind !== 'object') return false;
  return root.entries.some((section) => {
    if (section.key === 'AWSTemplateFormatVersion') return true;
    if (section.key !== 'Resources' || section.value.kind !== 'object') return false;
    return section.value.entries.some((resource) => {
      if (resource.value.kind !== 'object') return false;
      const type = resource.value.entries.find((entry) => entry.key === 'Type')?.value;
      return type?.kind === 'literal' && typeof type.value === 'string' && RESOURCE_TYPE.test(type.value);
    });
  });
}

/**
 * Blocks already built, by the entry they were built from. After a keystroke the entries the
 * edit did not touch or move are the previous version's objects (see `cfnIncremental.ts`), so
 * only the edited entry is built again. Entries and blocks are never mutated.
 */
const built = new WeakMap<ObjectEntry, Block>();

export function templateBlocks(root: ObjectExpr, source: SourceText): Block[] {
  const templateAttributes: Attribute[] = [];
  const blocks: Block[] = [];
  for (const section of root.entries) {
    const type = section.key === undefined ? undefined : SECTION_BLOCK_TYPES.get(section.key);
    if (type === undefined) {
      if (section.key !== undefined) templateAttributes.push(attributeOf(section, source, false));
      continue;
    }
    if (section.value.kind !== 'object') continue;
    for (const entry of section.value.entries) {
      // `Fn::ForEach::Name` (AWS::LanguageExtensions) generates resources; it is not one.
      if (entry.key === undefined || entry.key.startsWith('Fn::ForEach::')) continue;
      let block = built.get(entry);
      if (block?.type !== type) {
        block = sectionBlock(type, entry, source);
        built.set(entry, block);
      }
      blocks.push(block);
    }
  }
  const header = root.entries[0]?.keyRange ?? { start: root.range.start, end: root.range.start };
  const template: Block = {
    type: 'template',
    labels: [],
    labelRanges: [],
    range: root.range,
    headerRange: header,
    bodyRange: root.range,
    attributes: templateAttributes,
    blocks: [],
  };
  return [template, ...blocks];
}

function sectionBlock(type: string, entry: ObjectEntry, source: SourceText): Block {
  const name = entry.key ?? '';
  const base = {
    type,
    range: entry.range,
    headerRange: entry.keyRange,
    bodyRange: entry.value.kind === 'object' ? entry.value.range : undefined,
    blocks: [],
  };
  const ownAttributes = (normalize: boolean): Attribute[] => entry.value.kind === 'object'
    ? entry.value.entries.filter((e) => e.key !== undefined).map((e) => attributeOf(e, source, false, normalize))
    : [];
  switch (type) {
    case 'resource': {
      const attributes = ownAttributes(true);
      const typeAttribute = attributes.find((a) => a.name === 'Type');
      const typeName = typeAttribute?.value.kind === 'literal' && typeof typeAttribute.value.value === 'string'
        ? typeAttribute.value.value
        : '';
      return {
        ...base,
        labels: [typeName, name],
        labelRanges: [typeAttribute ? typeAttribute.value.range : entry.keyRange, entry.keyRange],
        attributes,
      };
    }
    case 'condition':
      return {
        ...base,
        // The condition is an expression, not a mapping of keys: its body is that expression.
        bodyRange: entry.value.range,
        labels: [name],
        labelRanges: [entry.keyRange],
        attributes: [{ name: 'Value', nameRange: entry.keyRange, value: normalizeIntrinsics(entry.value, source, true), range: entry.range }],
      };
    default:
      // Mappings hold data, never intrinsics: leave one-key maps (`{Ref: x}` as data) alone.
      return { ...base, labels: [name], labelRanges: [entry.keyRange], attributes: ownAttributes(type !== 'mapping') };
  }
}

function attributeOf(entry: ObjectEntry, source: SourceText, conditionContext: boolean, normalize = true): Attribute {
  return {
    name: entry.key ?? '',
    nameRange: entry.keyRange,
    value: normalize ? normalizeIntrinsics(entry.value, source, conditionContext) : entry.value,
    range: entry.range,
  };
}
