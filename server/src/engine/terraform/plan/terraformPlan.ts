/**
 * A Terraform plan as `terraform show -json plan.out` writes it (Terraform's "JSON Output
 * Format") → the resources the plan will leave in place, each as a block of the common model
 * with exact ranges, so findings land on the resource object and the value at fault.
 *
 * Read: `planned_values.root_module` and its `child_modules` (recursively), whose `values` are
 * what every resource will look like after apply, with variables, modules, `count` and
 * `for_each` already resolved; and `resource_changes`, for each address's `actions` and for
 * `after_unknown` (an unknown planned value is written as `null` in `planned_values`: only
 * `after_unknown` tells "known after apply" from "not set"). A resource that a plan lists in
 * `resource_changes` but not in `planned_values` (a plan trimmed to its changes) is read from
 * its `change.after`. And `configuration`, for what each argument of those resources refers to
 * (terraformPlanConfiguration.ts): a value known only after apply is written nowhere else.
 *
 * A plan is recognised by its content, never its name: a top-level object with a
 * `format_version` of a major version this reader knows (0 or 1; the format's rules say to
 * reject others) and `planned_values` or `resource_changes`. Terraform writes strict JSON, so
 * text that does not parse cleanly is a truncated or foreign file, not a plan to judge: a
 * trail after the cut would go unseen and one before it might lose its `after_unknown`.
 *
 * A state (`terraform show -json` with no plan file) writes its resources the same way, under
 * `values` instead of `planned_values`: `readTerraformOutput` reads both (state/terraformState.ts).
 */
import type { Node, ParseError } from 'jsonc-parser';
import type { Range } from '../../types';
import type { Attribute, Block, Expr, ObjectEntry, SourceFile, SourceFormat } from '../../model/syntax';
import { LineIndex } from '../../model/text';
import { keyText, objectNode, parseJsonTree, property, stringValue, valueOf } from '../../model/jsonNodes';
import { readPlanConfiguration, type PlanModuleConfiguration } from './terraformPlanConfiguration';

export interface PlannedResource {
  /** As the plan writes it: `aws_cloudtrail.main[0]`, `module.trail.aws_cloudtrail.this`. */
  address: string;
  /** `managed` or `data`. */
  mode: string;
  type: string;
  name: string;
  /** Type `resource`, labels [type, name], the resource object's ranges, its values as attributes. */
  block: Block;
  /** `resource_changes[].change.actions` for this address (`["create"]`, `["delete"]`…), when listed. */
  actions?: string[];
  /** Top-level attributes whose value is known only after apply (`after_unknown`). */
  knownAfterApply: ReadonlySet<string>;
}

export interface TerraformPlan {
  /** `blocks` are those of the resources read, in text order. */
  file: SourceFile;
  /** Positions in the plan's text. */
  lines: LineIndex;
  formatVersion: string;
  terraformVersion?: string;
  resources: PlannedResource[];
  /** The references of the root module's resources (of the types read), and of the modules it calls. */
  configuration: PlanModuleConfiguration;
}

const PARSE_OPTIONS = { allowTrailingComma: false, disallowComments: true };
const KNOWN_MAJOR_VERSIONS = new Set(['0', '1']);

/** False only when `text` certainly is not a plan (no parse): most JSON files are not. */
export function mightBeTerraformPlan(text: string): boolean {
  return text.includes('"format_version"') && (text.includes('"planned_values"') || text.includes('"resource_changes"'));
}

/**
 * The plan in `text`, reading only resources whose type is in `types` (a plan holds every
 * resource of a configuration; the caller names the few it judges). Undefined when `text` is
 * not a plan this reader understands.
 */
export function parseTerraformPlan(uri: string, text: string, types: ReadonlySet<string>): TerraformPlan | undefined {
  if (!mightBeTerraformPlan(text)) return undefined;
  const root = parseTerraformOutput(text);
  const plannedValues = objectNode(property(root, 'planned_values'));
  const changes = property(root, 'resource_changes');
  if (!root || (!plannedValues && changes?.type !== 'array')) return undefined;
  return readTerraformOutput(uri, text, root, types, { format: 'terraform-plan', values: plannedValues, changes, configuration: property(root, 'configuration') });
}

/**
 * The top-level object of Terraform's JSON output (`terraform show -json`, of a plan or a
 * state): strict JSON with a `format_version` of a major version this reader knows.
 */
export function parseTerraformOutput(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseJsonTree(text, errors, PARSE_OPTIONS);
  if (!root || root.type !== 'object' || errors.length > 0) return undefined;
  const formatVersion = stringValue(property(root, 'format_version'));
  return formatVersion !== undefined && KNOWN_MAJOR_VERSIONS.has(formatVersion.split('.')[0]) ? root : undefined;
}

/** Where the resources of Terraform's JSON output are: a plan's sections, or only `values` (a state). */
export interface OutputSections {
  format: SourceFormat;
  /** The object holding `root_module`: `planned_values`, or a state's `values`. */
  values: Node | undefined;
  changes?: Node;
  configuration?: Node;
}

/** The resources of `root` (checked by `parseTerraformOutput`) whose type is in `types`, with exact ranges. */
export function readTerraformOutput(uri: string, text: string, root: Node, types: ReadonlySet<string>, sections: OutputSections): TerraformPlan {
  const { values: plannedValues, changes } = sections;
  const reader = new PlanReader(text, types);
  const changesByAddress = reader.changes(changes);
  const resources: PlannedResource[] = [];
  const seen = new Set<string>();
  const add = (resource: Node, values: Node | undefined): void => {
    const read = reader.resource(resource, values, changesByAddress);
    if (!read || seen.has(read.address)) return;
    seen.add(read.address);
    resources.push(read);
  };
  for (const resource of moduleResources(objectNode(property(plannedValues, 'root_module')))) add(resource, property(resource, 'values'));
  for (const change of changesByAddress.values()) add(change.node, change.after);
  resources.sort((a, b) => a.block.range.start.line - b.block.range.start.line || a.block.range.start.character - b.block.range.start.character);
  return {
    file: { uri, format: sections.format, text, blocks: resources.map((r) => r.block), comments: [], syntaxErrors: [] },
    lines: reader.lines,
    formatVersion: stringValue(property(root, 'format_version')) ?? '',
    terraformVersion: stringValue(property(root, 'terraform_version')),
    resources,
    configuration: readPlanConfiguration(sections.configuration, types),
  };
}

interface PlanChange {
  /** The `resource_changes[]` entry, the resource object when it is read from `change.after`. */
  node: Node;
  actions: string[];
  after: Node | undefined;
  knownAfterApply: Set<string>;
}

class PlanReader {
  readonly lines: LineIndex;

  constructor(text: string, private readonly types: ReadonlySet<string>) {
    this.lines = new LineIndex(text);
  }

  /** `resource_changes` of the types read, by address; a deposed object's change is not the resource's own. */
  changes(changes: Node | undefined): Map<string, PlanChange> {
    const byAddress = new Map<string, PlanChange>();
    for (const entry of changes?.type === 'array' ? changes.children ?? [] : []) {
      if (entry.type !== 'object' || property(entry, 'deposed') || !this.types.has(stringValue(property(entry, 'type')) ?? '')) continue;
      const address = addressOf(entry);
      const change = objectNode(property(entry, 'change'));
      if (!address || !change || byAddress.has(address)) continue;
      const actions = (property(change, 'actions')?.children ?? []).map(stringValue).filter((a): a is string => a !== undefined);
      const afterUnknown = objectNode(property(change, 'after_unknown'));
      const knownAfterApply = new Set((afterUnknown?.children ?? []).filter((p) => valueOf(p)?.value === true).map(keyText).filter((k): k is string => k !== undefined));
      byAddress.set(address, { node: entry, actions, after: objectNode(property(change, 'after')), knownAfterApply });
    }
    return byAddress;
  }

  /** One resource object of `planned_values` (or a change entry) with its values; undefined for types not read. */
  resource(node: Node, values: Node | undefined, changes: Map<string, PlanChange>): PlannedResource | undefined {
    const type = stringValue(property(node, 'type'));
    const name = stringValue(property(node, 'name'));
    const address = addressOf(node);
    if (type === undefined || name === undefined || address === undefined || !this.types.has(type)) return undefined;
    const change = changes.get(address);
    return {
      address,
      mode: stringValue(property(node, 'mode')) ?? 'managed',
      type,
      name,
      block: this.block(node, type, name, objectNode(values)),
      actions: change?.actions,
      knownAfterApply: change?.knownAfterApply ?? new Set(),
    };
  }

  private block(node: Node, type: string, name: string, values: Node | undefined): Block {
    const range = this.rangeOf(node);
    // What names the resource: from its `{` to the end of its `address`, its first property as Terraform writes it.
    const addressNode = property(node, 'address');
    const headerEnd = addressNode && addressNode.offset > node.offset ? addressNode.offset + addressNode.length : node.offset + 1;
    const headerRange = this.range(node.offset, headerEnd);
    const labelRanges = ['type', 'name'].map((key) => {
      const value = property(node, key);
      return value ? this.rangeOf(value) : headerRange;
    });
    return {
      type: 'resource',
      labels: [type, name],
      labelRanges,
      range,
      headerRange,
      bodyRange: this.range(node.offset + 1, node.offset + node.length - 1),
      attributes: (values?.children ?? []).map((p) => this.attribute(p)).filter((a): a is Attribute => a !== undefined),
      blocks: [],
    };
  }

  private attribute(prop: Node): Attribute | undefined {
    const name = keyText(prop);
    const key = prop.children?.[0];
    const value = valueOf(prop);
    if (name === undefined || !key || !value) return undefined;
    return { name, nameRange: this.rangeOf(key), value: this.expr(value), range: this.rangeOf(prop) };
  }

  private expr(node: Node): Expr {
    const range = this.rangeOf(node);
    switch (node.type) {
      case 'array':
        return { kind: 'tuple', items: (node.children ?? []).map((item) => this.expr(item)), range };
      case 'object':
        return { kind: 'object', entries: (node.children ?? []).map((p) => this.entry(p)).filter((e): e is ObjectEntry => e !== undefined), range };
      case 'string': case 'number': case 'boolean': case 'null':
        return { kind: 'literal', value: node.value as string | number | boolean | null, range };
      default:
        return { kind: 'unknown', text: '', range };
    }
  }

  private entry(prop: Node): ObjectEntry | undefined {
    const key = prop.children?.[0];
    const value = valueOf(prop);
    if (!key || !value) return undefined;
    return { key: keyText(prop), keyRange: this.rangeOf(key), value: this.expr(value), range: this.rangeOf(prop) };
  }

  private range(start: number, end: number): Range {
    return { start: this.lines.positionAt(start), end: this.lines.positionAt(end) };
  }

  private rangeOf(node: Node): Range {
    return this.range(node.offset, node.offset + node.length);
  }
}

/** The resource objects of a `planned_values` module and of its child modules, depth first. */
function moduleResources(module: Node | undefined): Node[] {
  if (!module) return [];
  const own = (property(module, 'resources')?.children ?? []).filter((r) => r.type === 'object');
  const children = (property(module, 'child_modules')?.children ?? []).flatMap((child) => moduleResources(objectNode(child)));
  return [...own, ...children];
}

/** The plan's `address`, or one built from its parts as Terraform would (older plans, hand-trimmed ones). */
function addressOf(resource: Node): string | undefined {
  const written = stringValue(property(resource, 'address'));
  if (written !== undefined) return written;
  const type = stringValue(property(resource, 'type'));
  const name = stringValue(property(resource, 'name'));
  if (type === undefined || name === undefined) return undefined;
  const module = stringValue(property(resource, 'module_address'));
  const index: unknown = property(resource, 'index')?.value;
  const data = stringValue(property(resource, 'mode')) === 'data' ? 'data.' : '';
  const key = typeof index === 'number' || typeof index === 'string' ? `[${JSON.stringify(index)}]` : '';
  return `${module ? `${module}.` : ''}${data}${type}.${name}${key}`;
}
