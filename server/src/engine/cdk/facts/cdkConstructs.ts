/**
 * The constructs of a CDK app that matter here, found by what their constructor names
 * (whatever the import alias): CloudTrail's `Trail` and `CfnTrail`, KMS's `Key`, `CfnKey` and
 * `Alias`. Each is given the resource CDK synthesises for it (`AWS::CloudTrail::Trail`,
 * `AWS::KMS::Key`, `AWS::KMS::Alias`), so the core's rules read it as they read a template's,
 * and a block of the common model spanning the statement that writes it: a suppression comment
 * above that statement applies, and findings with no better place go to its first line.
 */
import type { Attribute, Block } from '../../model/syntax';
import type { ResourceRef, Value } from '../../model/values';
import { unknownRuntime } from '../../model/valueOps';
import type { Range } from '../../types';
import { baseNameOfUri } from '../../workspace/files';
import { argumentsOf, field, memberValue, rangeOf, type TsNode } from '../parse/tsTree';
import { symbolName, type CdkModule } from './cdkModules';
import { propertyName, stringContent, type CdkEvaluator } from './cdkEvaluator';

export type ConstructKind = 'Trail' | 'CfnTrail' | 'Key' | 'CfnKey' | 'Alias';

const KINDS: Record<string, { kind: ConstructKind; type: string }> = {
  'aws-cdk-lib/aws-cloudtrail#Trail': { kind: 'Trail', type: 'AWS::CloudTrail::Trail' },
  'aws-cdk-lib/aws-cloudtrail#CfnTrail': { kind: 'CfnTrail', type: 'AWS::CloudTrail::Trail' },
  'aws-cdk-lib/aws-kms#Key': { kind: 'Key', type: 'AWS::KMS::Key' },
  'aws-cdk-lib/aws-kms#CfnKey': { kind: 'CfnKey', type: 'AWS::KMS::Key' },
  'aws-cdk-lib/aws-kms#Alias': { kind: 'Alias', type: 'AWS::KMS::Alias' },
};

/** A member of the props object literal. */
export interface CdkProp {
  name: string;
  /** The whole `name: value`. */
  pair: TsNode;
  value: TsNode;
}

export interface CdkConstruct {
  kind: ConstructKind;
  module: CdkModule;
  /** The `new …(scope, id, props)` expression. */
  node: TsNode;
  /** The statement that writes it (`const key = new kms.Key(…);`), what suppressions and inserted code go around. */
  statement: TsNode;
  /** The construct id as written (`'LogsKey'`), when it is a string. */
  id?: string;
  /** The props object literal, after names are followed; undefined when there is none or it is not a literal. */
  props?: TsNode;
  /** The props' members by name. */
  propsByName: Map<string, CdkProp>;
  /** A spread or computed member, or props that are not a literal: any prop may be set. */
  propsOpen: boolean;
  /** The name the construct is bound to (`key`, `this.key`), for fixes that refer to it. */
  binding?: string;
  ref: ResourceRef;
}

const STATEMENTS = new Set(['expression_statement', 'lexical_declaration', 'variable_declaration', 'public_field_definition', 'return_statement', 'export_statement']);

export class CdkConstructs {
  private readonly byNode = new Map<TsNode, CdkConstruct | null>();
  private readonly byAddress = new Map<string, CdkConstruct>();
  evaluator!: CdkEvaluator;

  /** The construct a `new` expression creates; undefined when it is not one of those above. */
  at(node: TsNode, module: CdkModule): CdkConstruct | undefined {
    if (!this.byNode.has(node)) this.byNode.set(node, this.read(node, module) ?? null);
    return this.byNode.get(node) ?? undefined;
  }

  all(): CdkConstruct[] {
    return [...this.byAddress.values()];
  }

  /** The construct a resource reference names. */
  named(address: string): CdkConstruct | undefined {
    return this.byAddress.get(address);
  }

  /** A prop's value as the core reads it: absent → undefined; not known when the props are open. */
  prop(construct: CdkConstruct, name: string): Value | undefined {
    const prop = construct.propsByName.get(name);
    if (prop) return this.evaluator.evaluate(prop.value, construct.module);
    return construct.propsOpen ? unknownRuntime(`props that may set ${name}`, { uri: construct.module.uri, range: construct.ref.block.headerRange }) : undefined;
  }

  private read(node: TsNode, module: CdkModule): CdkConstruct | undefined {
    const symbol = module.symbolOf(field(node, 'constructor'));
    const known = symbol && KINDS[symbolName(symbol)];
    if (!known) return undefined;
    const args = argumentsOf(node);
    const idNode = args[1];
    const id = idNode?.type === 'string' ? stringContent(module.text(idNode)) : undefined;
    const resolvedProps = args[2] && this.evaluator.resolve(args[2], module);
    const props = resolvedProps?.node.type === 'object' && resolvedProps.module === module ? resolvedProps.node : undefined;
    const propsByName = new Map<string, CdkProp>();
    let propsOpen = args[2] !== undefined && props === undefined;
    for (const pair of props?.children ?? []) {
      if (pair.type === 'comment') continue;
      const name = propertyName(pair, module);
      if (name === undefined) propsOpen = true;
      else propsByName.set(name, { name, pair, value: memberValue(pair)! });
    }
    const statement = statementOf(node);
    const address = this.address(id ?? bindingName(node, module) ?? known.kind, module, node);
    const block = blockOf(module, node, statement, idNode, props, address, known.type, propsByName);
    const construct: CdkConstruct = {
      kind: known.kind, module, node, statement, id, props, propsByName, propsOpen,
      binding: bindingName(node, module),
      ref: { uri: module.uri, mode: 'resource', type: known.type, name: address, address, block },
    };
    this.byAddress.set(address, construct);
    return construct;
  }

  /** The construct id, made unique across the app's files when two constructs share it. */
  private address(name: string, module: CdkModule, node: TsNode): string {
    return this.byAddress.has(name) ? `${name} (${baseNameOfUri(module.uri)}:${module.source.lines.positionAt(node.start).line + 1})` : name;
  }
}

/** The statement a construct is written in (the expression itself when it is nested in another). */
function statementOf(node: TsNode): TsNode {
  for (let n = node.parent; n; n = n.parent) {
    if (STATEMENTS.has(n.type)) return n.parent?.type === 'export_statement' ? n.parent : n;
    if (n.type === 'arguments' || n.type === 'array' || n.type === 'pair' || n.type === 'statement_block' || n.type === 'program') return node;
  }
  return node;
}

/** `key` for `const key = new …`, `this.key` for `this.key = new …` or `readonly key = new …`. */
function bindingName(node: TsNode, module: CdkModule): string | undefined {
  let n = node;
  while (n.parent && ['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(n.parent.type)) n = n.parent;
  const parent = n.parent;
  if (parent?.type === 'variable_declarator' && field(parent, 'name')?.type === 'identifier') return module.text(field(parent, 'name')!);
  if (parent?.type === 'assignment_expression' && field(parent, 'right') === n) {
    const left = field(parent, 'left');
    return left && (left.type === 'identifier' || (left.type === 'member_expression' && field(left, 'object')?.type === 'this')) ? module.text(left) : undefined;
  }
  if (parent?.type === 'public_field_definition' && field(parent, 'name')) return `this.${module.text(field(parent, 'name')!)}`;
  return undefined;
}

function blockOf(module: CdkModule, node: TsNode, statement: TsNode, idNode: TsNode | undefined, props: TsNode | undefined, address: string, type: string, propsByName: Map<string, CdkProp>): Block {
  const source = module.source;
  const start = rangeOf(source, node).start;
  // The first line of `new X(this, 'Id', {`: up to the id, else to the end of that line.
  const headerEnd = idNode && source.lines.positionAt(idNode.end).line === start.line
    ? source.lines.positionAt(idNode.end)
    : { line: start.line, character: source.lines.line(start.line).replace(/\s+$/, '').length };
  const headerRange: Range = { start, end: headerEnd };
  const attributes: Attribute[] = [...propsByName.values()].map((p) => {
    const key = p.pair.type === 'pair' ? field(p.pair, 'key')! : p.pair;
    return { name: p.name, nameRange: rangeOf(source, key), value: { kind: 'unknown', text: module.text(p.value), range: rangeOf(source, p.value) }, range: rangeOf(source, p.pair) };
  });
  return {
    type: 'resource',
    labels: [type, address],
    labelRanges: [idNode ? rangeOf(source, idNode) : headerRange, idNode ? rangeOf(source, idNode) : headerRange],
    range: rangeOf(source, statement),
    headerRange,
    bodyRange: props ? rangeOf(source, { start: props.start + 1, end: props.end - 1 }) : undefined,
    attributes,
    blocks: [],
  };
}
