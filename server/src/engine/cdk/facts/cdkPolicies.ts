/**
 * The key policy CDK synthesises for a `kms.Key`, as a policy document value the core's policy
 * rules read, every statement at the TypeScript that writes it:
 * - when no `policy` is given, the account root gets `kms:*` (`@aws-cdk/aws-kms:defaultKeyPolicies`,
 *   always on in CDK v2: synthesis fails when `cdk.json` sets it to false, and
 *   `trustAccountIdentities: false` is refused);
 * - the statements of `policy: new iam.PolicyDocument({ statements: [...] })`;
 * - every `key.addToResourcePolicy(statement)`, and every `grantEncrypt` / `grantDecrypt` /
 *   `grantEncryptDecrypt` / `grant` to a principal CDK puts in the key policy (a service or an
 *   account principal: CDK's `Grant.addToPrincipalOrResource` writes those to the resource
 *   policy with `Resource: "*"`; a role or user of the app gets an identity policy instead).
 * (aws-cdk-lib 2.x, `aws-kms/lib/key.ts` and `key-grants.ts`.)
 *
 * A statement is read from `new iam.PolicyStatement({...})` (or `PolicyStatement.fromJson`);
 * one changed later (`statement.addActions(…)`) or built any other way is unknown, and so is
 * the policy's statement list when it is not written out, and what a grant writes when the
 * `Grant` it returns is used (its `resourceStatements` may be changed).
 */
import type { Location } from '../../types';
import type { ListValue, ObjectValue, StringValue, Value } from '../../model/values';
import { unknownRuntime } from '../../model/valueOps';
import { argumentsOf, field, rangeOf, walk, type TsNode } from '../parse/tsTree';
import { symbolName, type CdkModule, type CdkProgram } from './cdkModules';
import type { CdkEvaluator } from './cdkEvaluator';
import type { CdkConstruct } from './cdkConstructs';

const IAM = 'aws-cdk-lib/aws-iam';
const ENCRYPT = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
const DECRYPT = ['kms:Decrypt'];
const GRANTS: Record<string, string[]> = { grantEncrypt: ENCRYPT, grantDecrypt: DECRYPT, grantEncryptDecrypt: [...DECRYPT, ...ENCRYPT] };
/** How the account root reads once synthesised and evaluated: `arn:${AWS::Partition}:iam::${AWS::AccountId}:root`. */
const ACCOUNT_ROOT = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root';
/** Principals CDK grants through their own identity policy, not the key's. */
const IDENTITIES = new Set(['Role', 'User', 'Group', 'LazyRole']);

/** The calls of the app's modules that change a key's policy or a statement. */
export interface PolicyCalls {
  /** Key construct node → the calls adding to its policy (`addToResourcePolicy`, `grant…`). */
  byKey: Map<TsNode, { call: TsNode; method: string; args: TsNode[]; module: CdkModule }[]>;
  /** `new iam.PolicyDocument(…)` node → the statements `addStatements` adds. */
  documentAdditions: Map<TsNode, { args: TsNode[]; module: CdkModule }[]>;
  /** `new iam.PolicyStatement(…)` nodes changed after they are written. */
  changedStatements: Set<TsNode>;
}

export function policyCalls(program: CdkProgram, evaluator: CdkEvaluator): PolicyCalls {
  const calls: PolicyCalls = { byKey: new Map(), documentAdditions: new Map(), changedStatements: new Set() };
  for (const module of program.loaded()) {
    for (const node of module.calls()) {
      const callee = field(node, 'function');
      if (callee?.type !== 'member_expression') continue;
      const method = module.text(field(callee, 'property') ?? callee);
      if (!/^(addToResourcePolicy|grant\w*|addStatements|add\w+|copy)$/.test(method)) continue;
      const target = evaluator.resolve(field(callee, 'object'), module);
      if (target?.node.type !== 'new_expression') continue;
      const args = argumentsOf(node);
      const construct = evaluator.constructs.at(target.node, target.module);
      const made = target.module.symbolOf(field(target.node, 'constructor'));
      if (construct?.kind === 'Key') {
        if (method === 'addToResourcePolicy' || method.startsWith('grant')) push(calls.byKey, target.node, { call: node, method, args, module });
      } else if (made && symbolName(made) === `${IAM}#PolicyDocument` && method === 'addStatements') {
        push(calls.documentAdditions, target.node, { args, module });
      } else if (made && symbolName(made) === `${IAM}#PolicyStatement` && method !== 'copy') {
        calls.changedStatements.add(target.node);
      }
    }
  }
  return calls;
}

export class CdkPolicies {
  constructor(private readonly evaluator: CdkEvaluator, private readonly calls: PolicyCalls) {}

  /** The synthesised policy of a `kms.Key`; for a `CfnKey`, its `keyPolicy` as written. */
  keyPolicy(key: CdkConstruct): Value {
    const origin = this.at(key.module, key.node);
    if (key.kind === 'CfnKey') {
      const written = key.propsByName.get('keyPolicy');
      if (!written) return key.propsOpen ? unknownRuntime('props that may set keyPolicy', origin) : { kind: 'null', origin };
      const resolved = this.evaluator.resolve(written.value, key.module);
      return resolved && this.isNew(resolved, 'PolicyDocument') ? this.document(resolved.node, resolved.module, origin, []) : this.evaluator.evaluate(written.value, key.module);
    }
    const admin = this.rootStatement(origin);
    const given = key.propsByName.get('policy');
    const added: Value[] = [];
    for (const call of this.calls.byKey.get(key.node) ?? []) {
      const origin = this.at(call.module, call.call);
      // `grant.resourceStatements` can be changed after the grant (`addActions`, `addCondition`).
      if (call.method.startsWith('grant') && grantIsKept(call.call, call.module)) added.push(unknownRuntime(`the statements of ${shorten(call.module.text(call.call))}, used after it`, origin));
      else added.push(...this.addedBy(call.method, call.args, call.module, origin));
    }
    if (!given) {
      if (key.propsOpen) return this.documentOf([unknownRuntime('props that may set policy', origin), ...added], origin);
      return this.documentOf([admin, ...added], origin);
    }
    const resolved = this.evaluator.resolve(given.value, key.module);
    if (!resolved || !this.isNew(resolved, 'PolicyDocument')) return this.documentOf([unknownRuntime(`the policy ${key.module.text(given.value)}`, this.at(key.module, given.value)), ...added], origin);
    return this.document(resolved.node, resolved.module, origin, [], added);
  }

  private document(node: TsNode, module: CdkModule, origin: Location, before: Value[], after: Value[] = []): Value {
    const props = argumentsOf(node)[0];
    const statements: Value[] = [...before];
    if (props) {
      const object = this.evaluator.resolve(props, module);
      const list = object?.node.type === 'object' ? object.node.children.find((p) => p.type === 'pair' && module.text(field(p, 'key')!) === 'statements') : undefined;
      if (object?.node.type !== 'object' || object.node.children.some((p) => p.type === 'spread_element')) statements.push(unknownRuntime('policy document props', this.at(module, props)));
      else if (list) statements.push(...this.statementList(field(list, 'value'), object.module));
    }
    for (const addition of this.calls.documentAdditions.get(node) ?? []) for (const arg of addition.args) statements.push(this.statementOf(arg, addition.module));
    return this.documentOf([...statements, ...after], origin);
  }

  private statementList(node: TsNode | undefined, module: CdkModule): Value[] {
    const list = node && this.evaluator.resolve(node, module);
    if (list?.node.type !== 'array') return [unknownRuntime('a statement list', node && this.at(module, node))];
    return list.node.children.filter((c) => c.type !== 'comment').map((item) =>
      item.type === 'spread_element' ? unknownRuntime('spread statements', this.at(list.module, item)) : this.statementOf(item, list.module));
  }

  /** What a call adds to the key policy. */
  private addedBy(method: string, args: TsNode[], module: CdkModule, origin: Location): Value[] {
    if (method === 'addToResourcePolicy') return args[0] ? [this.statementOf(args[0], module)] : [];
    const actions = GRANTS[method] ?? (method === 'grant' ? args.slice(1).map((a) => this.evaluator.evaluate(a, module)) : undefined);
    if (!actions || !args[0]) return method.startsWith('grant') ? [unknownRuntime(`${method}(…)`, origin)] : [];
    const grantee = this.evaluator.resolve(args[0], module);
    if (grantee && IDENTITIES.has(this.iamClass(grantee) ?? '')) return [];
    const principal = grantee ? this.principal(grantee.node, grantee.module) : undefined;
    if (!principal || principal.kind !== 'object') return [unknownRuntime(`${method}(${module.text(args[0])})`, origin)];
    const action: Value = { kind: 'list', items: actions.map((a) => (typeof a === 'string' ? { kind: 'string', value: a, origin } : a)), origin };
    return [{ kind: 'object', entries: new Map<string, Value>([['Effect', str('Allow', origin)], ['Principal', principal], ['Action', action], ['Resource', str('*', origin)]]), origin }];
  }

  /** `new iam.PolicyStatement({...})` / `iam.PolicyStatement.fromJson({...})` → the statement as IAM JSON. */
  statementOf(node: TsNode, module: CdkModule): Value {
    const origin = this.at(module, node);
    const resolved = this.evaluator.resolve(node, module);
    if (!resolved) return unknownRuntime(module.text(node), origin);
    if (resolved.node.type === 'call_expression') {
      const callee = resolved.module.symbolOf(field(resolved.node, 'function'));
      const arg = field(resolved.node, 'arguments')?.children.find((c) => c.type !== 'comment');
      return callee && symbolName(callee) === `${IAM}#PolicyStatement.fromJson` && arg ? this.evaluator.evaluate(arg, resolved.module) : unknownRuntime(module.text(node), origin);
    }
    if (!this.isNew(resolved, 'PolicyStatement') || this.calls.changedStatements.has(resolved.node)) return unknownRuntime(`the statement ${shorten(module.text(node))}`, origin);
    const at = this.at(resolved.module, resolved.node);
    const propsNode = argumentsOf(resolved.node)[0];
    if (!propsNode) return { kind: 'object', entries: new Map([['Effect', str('Allow', at)]]), origin: at };
    const props = this.evaluator.resolve(propsNode, resolved.module);
    const read = props?.node.type === 'object' ? this.evaluator.object(props.node, props.module, at) : undefined;
    if (!props || !read) return unknownRuntime('statement props', this.at(resolved.module, propsNode));
    const entries = new Map<string, Value>();
    const keyOrigins = new Map<string, Location>();
    const set = (name: string, value: Value, from: string): void => {
      entries.set(name, value);
      const keyOrigin = read.keyOrigins?.get(from);
      if (keyOrigin) keyOrigins.set(name, keyOrigin);
    };
    const effect = read.entries.get('effect');
    set('Effect', effect ?? str('Allow', at), 'effect');
    if (read.entries.has('sid')) set('Sid', read.entries.get('sid')!, 'sid');
    for (const [from, to] of [['principals', 'Principal'], ['notPrincipals', 'NotPrincipal']] as const) {
      const list = props.node.children.find((p) => p.type === 'pair' && props.module.text(field(p, 'key')!) === from);
      if (list) set(to, this.principals(field(list, 'value'), props.module), from);
    }
    for (const [from, to] of [['actions', 'Action'], ['notActions', 'NotAction'], ['resources', 'Resource'], ['notResources', 'NotResource'], ['conditions', 'Condition']] as const) {
      const value = read.entries.get(from);
      if (value && !(value.kind === 'list' && value.items.length === 0)) set(to, value, from);
    }
    return { kind: 'object', entries, keyOrigins, origin: at };
  }

  /** `[new iam.ServicePrincipal('cloudtrail.amazonaws.com'), …]` → `{ Service: …, AWS: … }`. */
  private principals(node: TsNode | undefined, module: CdkModule): Value {
    const list = node && this.evaluator.resolve(node, module);
    const origin = node ? this.at(module, node) : undefined;
    if (list?.node.type !== 'array') return unknownRuntime('principals', origin);
    const byType = new Map<string, Value[]>();
    for (const item of list.node.children) {
      if (item.type === 'comment') continue;
      const resolved = this.evaluator.resolve(item, list.module);
      const principal = resolved && this.principal(resolved.node, resolved.module);
      if (!principal || principal.kind !== 'object') return unknownRuntime(`the principal ${list.module.text(item)}`, this.at(list.module, item));
      for (const [type, value] of principal.entries) byType.set(type, [...(byType.get(type) ?? []), value]);
    }
    const entries = new Map<string, Value>([...byType].map(([type, values]) => [type, values.length === 1 ? values[0] : { kind: 'list', items: values, origin } satisfies ListValue]));
    return { kind: 'object', entries, origin };
  }

  /** One principal construct → `{ Service: … }` / `{ AWS: … }`; undefined when it is not one CDK renders from what is written. */
  private principal(node: TsNode, module: CdkModule): ObjectValue | undefined {
    const kind = this.iamClass({ node, module });
    const origin = this.at(module, node);
    const arg = node.type === 'new_expression' ? argumentsOf(node)[0] : undefined;
    const one = (type: string, value: Value): ObjectValue => ({ kind: 'object', entries: new Map([[type, value]]), origin });
    switch (kind) {
      case 'ServicePrincipal': return arg ? one('Service', this.evaluator.evaluate(arg, module)) : undefined;
      case 'AccountRootPrincipal': return one('AWS', { kind: 'string', value: ACCOUNT_ROOT, partial: true, origin });
      case 'AnyPrincipal': case 'StarPrincipal': return one('AWS', str('*', origin));
      case 'ArnPrincipal': return arg ? one('AWS', this.evaluator.evaluate(arg, module)) : undefined;
      case 'AccountPrincipal': {
        const account = arg && this.evaluator.evaluate(arg, module);
        if (!account) return undefined;
        const known = account.kind === 'string' && !account.partial;
        return one('AWS', { kind: 'string', value: `arn:\${AWS::Partition}:iam::${known ? account.value : '${' + module.text(arg!) + '}'}:root`, partial: true, origin });
      }
      default: return undefined;
    }
  }

  /** The `aws-iam` class a `new` expression makes (`ServicePrincipal`, `Role`…). */
  private iamClass(resolved: { node: TsNode; module: CdkModule }): string | undefined {
    if (resolved.node.type !== 'new_expression') return undefined;
    const symbol = resolved.module.symbolOf(field(resolved.node, 'constructor'));
    return symbol?.module === IAM && symbol.path.length === 1 ? symbol.path[0] : undefined;
  }

  private isNew(resolved: { node: TsNode; module: CdkModule }, name: string): boolean {
    return this.iamClass(resolved) === name;
  }

  /** `{ Effect: Allow, Principal: { AWS: <account root> }, Action: kms:*, Resource: * }`, CDK's default statement. */
  private rootStatement(origin: Location): ObjectValue {
    const principal: ObjectValue = { kind: 'object', entries: new Map<string, Value>([['AWS', { kind: 'string', value: ACCOUNT_ROOT, partial: true, origin }]]), origin };
    return { kind: 'object', entries: new Map<string, Value>([['Effect', str('Allow', origin)], ['Principal', principal], ['Action', str('kms:*', origin)], ['Resource', str('*', origin)]]), origin };
  }

  private documentOf(statements: Value[], origin: Location): ObjectValue {
    return { kind: 'object', entries: new Map<string, Value>([['Version', str('2012-10-17', origin)], ['Statement', { kind: 'list', items: statements, origin }]]), origin };
  }

  private at(module: CdkModule, node: TsNode): Location {
    return { uri: module.uri, range: rangeOf(module.source, node) };
  }
}

/**
 * Whether the `Grant` a `key.grant…(…)` returns is used: anything but a call whose result is
 * dropped, or bound to a `const` never named again. Its `resourceStatements` are then open to
 * change (`statement.addActions('kms:DescribeKey')`), so what the grant writes is not known.
 */
function grantIsKept(call: TsNode, module: CdkModule): boolean {
  let n = call;
  while (n.parent && ['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(n.parent.type)) n = n.parent;
  const parent = n.parent;
  if (parent?.type === 'expression_statement') return false;
  const name = parent?.type === 'variable_declarator' && field(parent, 'value') === n ? field(parent, 'name') : undefined;
  if (name?.type !== 'identifier') return true;
  const text = module.text(name);
  let named = false;
  walk(module.source.root, (node) => {
    if (!named && node !== name && node.type === 'identifier' && module.text(node) === text) named = true;
  });
  return named;
}

const str = (value: string, origin: Location): StringValue => ({ kind: 'string', value, origin });
const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}
