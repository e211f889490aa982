/**
 * The TypeScript files of a CDK app as modules: what each imports, what its names are bound
 * to, and which `aws-cdk-lib` symbol an expression names (`cloudtrail.Trail`, `Trail` imported
 * under any alias, `cdk.aws_cloudtrail.Trail`, `aws_kms.KeySpec.RSA_2048`).
 *
 * Bindings are followed only where TypeScript's own scoping makes them certain: a `const`
 * (or a `let` never assigned again) in an enclosing block, one member destructured from it
 * (`const { kmsKey } = props`), a class field written once (`readonly key = …` or
 * `this.key = …`), a function or method, and names exported by a sibling module the app imports
 * with a relative path. A parameter is bound to its place in the function's parameter list: what
 * it is given is read at the function's call sites (cdkFunctions.ts). Anything else (a rest
 * parameter, a nested pattern, a reassigned name) is not followed: its value is unknown, never
 * guessed.
 */
import { dirnameUri } from '../../workspace/files';
import { field, textOf, walk, type TsNode, type TsSource } from '../parse/tsTree';

export interface CdkSymbol {
  /** `aws-cdk-lib/aws-kms`, `aws-cdk-lib`, a package name. */
  module: string;
  /** `['Key']`, `['KeySpec', 'RSA_2048']`; empty for the module itself. */
  path: string[];
}

export const symbolName = (symbol: CdkSymbol): string => `${symbol.module}#${symbol.path.join('.')}`;

interface ImportBinding {
  module: string;
  /** The exported name; undefined for `import * as x`. */
  name?: string;
}

/** What a name is bound to where it is used. */
export type Binding =
  /** `property`: the member of the value a destructuring pattern names (`const { kmsKey } = props`). */
  | { kind: 'value'; node: TsNode; module: CdkModule; property?: string }
  /** The `index`th parameter of `fn` (`property`: the member a destructured parameter names). */
  | { kind: 'parameter'; fn: TsNode; index: number; property?: string; name: string; module: CdkModule }
  | { kind: 'class'; node: TsNode; module: CdkModule }
  | { kind: 'import'; symbol: CdkSymbol }
  | { kind: 'unknown'; why: string };

const SCOPES = new Set(['program', 'statement_block', 'class_body', 'switch_case', 'switch_default']);
export const FUNCTIONS = new Set(['function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'function', 'generator_function_declaration']);

export class CdkModule {
  readonly imports = new Map<string, ImportBinding>();
  /** Names assigned after their declaration somewhere in the file (`x = …`): a `let` of that name is not followed. */
  private readonly reassigned = new Set<string>();
  private readonly classFields = new Map<TsNode, Map<string, TsNode[]>>();
  /** Per scope, the names it declares (first declaration wins, as `declarationIn` reads them). */
  private readonly declared = new Map<TsNode, Map<string, Binding>>();
  /** The `new …(…)` and call expressions of the module, in source order (found by the one walk of the whole tree). */
  private readonly newExpressions: TsNode[] = [];
  private readonly callExpressions: TsNode[] = [];
  /** Identifiers (and shorthand members) by name, member expressions by property: where a function may be named. */
  private namesUsed: { identifiers: Map<string, TsNode[]>; members: Map<string, TsNode[]> } | undefined;

  constructor(readonly source: TsSource, readonly program: CdkProgram) {
    for (const statement of source.root.children) {
      if (statement.type === 'import_statement') this.readImport(statement);
    }
    walk(source.root, (node) => {
      if (node.type === 'new_expression') this.newExpressions.push(node);
      else if (node.type === 'call_expression') this.callExpressions.push(node);
      else if (node.type === 'assignment_expression' || node.type === 'augmented_assignment_expression') {
        const left = field(node, 'left');
        if (left?.type === 'identifier') this.reassigned.add(textOf(source, left));
      }
    });
  }

  get uri(): string {
    return this.source.uri;
  }

  text(node: TsNode): string {
    return textOf(this.source, node);
  }

  /** What the identifier `node` names, looked up from where it is written. */
  bindingOf(node: TsNode): Binding {
    const name = this.text(node);
    for (let scope = node.parent; scope; scope = scope.parent) {
      const parameter = FUNCTIONS.has(scope.type) ? parameterBinding(this, scope, name) : undefined;
      if (parameter) return parameter;
      if (!SCOPES.has(scope.type) || scope.type === 'class_body') continue;
      const declared = this.declarationIn(scope, name);
      if (declared) return declared;
    }
    const imported = this.imports.get(name);
    if (!imported) return { kind: 'unknown', why: name };
    if (!imported.module.startsWith('.')) return { kind: 'import', symbol: normalise({ module: imported.module, path: imported.name ? [imported.name] : [] }) };
    const target = imported.name === undefined ? undefined : this.program.moduleAt(resolveRelative(this.uri, imported.module));
    return target?.exported(imported.name!) ?? { kind: 'unknown', why: `${name} from '${imported.module}'` };
  }

  /** A name declared at the top level of this module and exported. */
  exported(name: string): Binding | undefined {
    return this.declarationIn(this.source.root, name, true);
  }

  /** The one value written to field `name` of the class around `node` (`this.name`), if there is exactly one. */
  fieldOf(classNode: TsNode, name: string): TsNode | undefined {
    let fields = this.classFields.get(classNode);
    if (!fields) {
      fields = new Map();
      this.classFields.set(classNode, fields);
      const add = (key: string, value: TsNode): void => void fields!.set(key, [...(fields!.get(key) ?? []), value]);
      const body = field(classNode, 'body');
      for (const member of body?.children ?? []) {
        const value = field(member, 'value');
        const memberName = field(member, 'name');
        if (member.type === 'public_field_definition' && memberName && value) add(this.text(memberName), value);
      }
      walk(body, (node) => {
        if (node.type !== 'assignment_expression') return;
        const left = field(node, 'left');
        const right = field(node, 'right');
        const object = field(left, 'object');
        const property = field(left, 'property');
        if (left?.type === 'member_expression' && object?.type === 'this' && property && right && enclosingClass(node) === classNode) add(this.text(property), right);
      });
    }
    const values = fields.get(name);
    return values?.length === 1 ? values[0] : undefined;
  }

  /** The symbol of `aws-cdk-lib` (or another package) an expression names; undefined for anything else. */
  symbolOf(node: TsNode | undefined): CdkSymbol | undefined {
    if (!node) return undefined;
    if (node.type === 'identifier') {
      const binding = this.bindingOf(node);
      return binding.kind === 'import' ? binding.symbol : undefined;
    }
    if (node.type === 'member_expression') {
      const object = this.symbolOf(field(node, 'object'));
      const property = field(node, 'property');
      return object && property ? normalise({ module: object.module, path: [...object.path, this.text(property)] }) : undefined;
    }
    if (node.type === 'parenthesized_expression' || node.type === 'non_null_expression') return this.symbolOf(node.children[0]);
    return undefined;
  }

  /** The method `name` of a class (not a getter, setter, static or overload signature); undefined when there is none or a field has the name too. */
  methodOf(classNode: TsNode, name: string): TsNode | undefined {
    const members = field(classNode, 'body')?.children ?? [];
    const methods = members.filter((m) => m.type === 'method_definition' && field(m, 'name') && this.text(field(m, 'name')!) === name);
    if (methods.length !== 1 || this.fieldOf(classNode, name) !== undefined) return undefined;
    return /\b(?:static|get|set)\s/.test(this.source.text.slice(methods[0].start, field(methods[0], 'name')!.start)) ? undefined : methods[0];
  }

  /** The identifiers (and shorthand members `{ name }`) written `name` in the module. */
  identifiersNamed(name: string): TsNode[] {
    return this.uses().identifiers.get(name) ?? [];
  }

  /** The member expressions `….name` of the module. */
  membersNamed(name: string): TsNode[] {
    return this.uses().members.get(name) ?? [];
  }

  private uses(): NonNullable<CdkModule['namesUsed']> {
    if (!this.namesUsed) {
      const used: NonNullable<CdkModule['namesUsed']> = { identifiers: new Map(), members: new Map() };
      const add = (map: Map<string, TsNode[]>, name: string, node: TsNode): void => {
        const nodes = map.get(name);
        if (nodes) nodes.push(node);
        else map.set(name, [node]);
      };
      walk(this.source.root, (node) => {
        if (node.type === 'identifier' || node.type === 'shorthand_property_identifier') add(used.identifiers, this.text(node), node);
        else if (node.type === 'member_expression' && field(node, 'property')) add(used.members, this.text(field(node, 'property')!), node);
      });
      this.namesUsed = used;
    }
    return this.namesUsed;
  }

  /** The `new …(…)` expressions of the module, in source order. */
  news(): TsNode[] {
    return this.newExpressions;
  }

  /** The call expressions of the module, in source order. */
  calls(): TsNode[] {
    return this.callExpressions;
  }

  /** The binding of `name` among a scope's own statements (for `exportedOnly`, its `export`ed ones); the first declaration wins. */
  private declarationIn(scope: TsNode, name: string, exportedOnly = false): Binding | undefined {
    let names = exportedOnly ? undefined : this.declared.get(scope);
    if (!names) {
      names = new Map();
      for (const child of scope.children) {
        const statement = child.type === 'export_statement' ? field(child, 'declaration') : exportedOnly ? undefined : child;
        for (const [declared, binding] of statement ? this.bindingsOf(statement) : []) if (!names.has(declared)) names.set(declared, binding);
      }
      if (!exportedOnly) this.declared.set(scope, names);
    }
    return names.get(name);
  }

  /** What a declaration statement binds: a class, a function, or each `name = value` of a `const` / `let` / `var` (and each name of a flat `{ a, b: c }` pattern). */
  private bindingsOf(statement: TsNode): [string, Binding][] {
    if (statement.type === 'class_declaration') return [[this.text(field(statement, 'name') ?? statement), { kind: 'class', node: statement, module: this }]];
    if (statement.type === 'function_declaration' && field(statement, 'name')) return [[this.text(field(statement, 'name')!), { kind: 'value', node: statement, module: this }]];
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') return [];
    const isConst = this.source.text.startsWith('const', statement.start);
    const result: [string, Binding][] = [];
    for (const declarator of statement.children) {
      const declared = field(declarator, 'name');
      if (declarator.type !== 'variable_declarator' || !declared) continue;
      const value = field(declarator, 'value');
      for (const [name, property] of declared.type === 'identifier' ? [[this.text(declared), undefined] as const] : patternNames(this, declared)) {
        if (!value) result.push([name, { kind: 'unknown', why: `${name}, declared without a value` }]);
        else if (!isConst && this.reassigned.has(name)) result.push([name, { kind: 'unknown', why: `${name}, assigned more than once` }]);
        else if (property === null) result.push([name, { kind: 'unknown', why: `${name}, destructured` }]);
        else result.push([name, { kind: 'value', node: value, module: this, property }]);
      }
    }
    return result;
  }

  private readImport(statement: TsNode): void {
    const from = field(statement, 'source');
    const clause = statement.children.find((c) => c.type === 'import_clause');
    if (!from || !clause) return;
    const module = this.text(from).slice(1, -1);
    for (const part of clause.children) {
      if (part.type === 'namespace_import') {
        const local = part.children.find((c) => c.type === 'identifier');
        if (local) this.imports.set(this.text(local), { module });
      } else if (part.type === 'named_imports') {
        for (const specifier of part.children) {
          const imported = field(specifier, 'name');
          const local = field(specifier, 'alias') ?? imported;
          if (specifier.type === 'import_specifier' && imported && local) this.imports.set(this.text(local), { module, name: this.text(imported) });
        }
      } else if (part.type === 'identifier') {
        // A default import names no CDK symbol (aws-cdk-lib has none); kept so the name is not looked up elsewhere.
        this.imports.set(this.text(part), { module, name: 'default' });
      }
    }
  }
}

/** The modules of one app, parsed on first use. */
export class CdkProgram {
  private readonly modules = new Map<string, CdkModule | null>();

  private readonly importing = new Map<string, CdkModule[]>();

  constructor(
    readonly appRoot: string,
    private readonly parse: (uri: string) => TsSource | undefined,
    /** The files of a module's folder that import it (what the adapter reads with a file). */
    private readonly importers: (uri: string) => string[] = () => [],
  ) {}

  /** The modules of `module`'s folder that import it, read once per analysis. */
  importersOf(module: CdkModule): CdkModule[] {
    let found = this.importing.get(module.uri);
    if (!found) {
      found = this.importers(module.uri).map((u) => this.moduleAt(u)).filter((m): m is CdkModule => m !== undefined && m !== module);
      this.importing.set(module.uri, found);
    }
    return found;
  }

  moduleAt(uri: string | undefined): CdkModule | undefined {
    if (!uri || !uri.startsWith(`${this.appRoot}/`) || /\/(?:node_modules|cdk\.out)\//.test(uri)) return undefined;
    if (!this.modules.has(uri)) {
      this.modules.set(uri, null); // a cycle of imports reads the module once
      const candidates = uri.endsWith('.ts') ? [uri] : [`${uri}.ts`, `${uri}/index.ts`];
      for (const candidate of candidates) {
        const source = this.parse(candidate);
        if (source) {
          const module = new CdkModule(source, this);
          this.modules.set(uri, module);
          this.modules.set(candidate, module);
          break;
        }
      }
    }
    return this.modules.get(uri) ?? undefined;
  }

  /** The modules read so far. */
  loaded(): CdkModule[] {
    return [...new Set([...this.modules.values()].filter((m): m is CdkModule => m !== null))];
  }
}

/** `aws-cdk-lib`'s `aws_kms` namespace is the module `aws-cdk-lib/aws-kms`. */
function normalise(symbol: CdkSymbol): CdkSymbol {
  const [first, ...rest] = symbol.path;
  if (symbol.module === 'aws-cdk-lib' && first?.startsWith('aws_')) return { module: `aws-cdk-lib/${first.replace(/_/g, '-')}`, path: rest };
  return symbol;
}

function resolveRelative(fromUri: string, specifier: string): string {
  const parts = dirnameUri(fromUri).split('/');
  for (const segment of specifier.replace(/\.js$/, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(encodeURIComponent(segment));
  }
  return parts.join('/');
}

/** The parameter of `fn` named `name`, if it has one: its place, and the member a destructured parameter (`{ key }: Props`) takes. */
function parameterBinding(module: CdkModule, fn: TsNode, name: string): Binding | undefined {
  const parameters = field(fn, 'parameters') ?? field(fn, 'parameter');
  if (!parameters) return undefined;
  const at = (index: number, property?: string): Binding => ({ kind: 'parameter', fn, index, property, name, module });
  if (parameters.type === 'identifier') return module.text(parameters) === name ? at(0) : undefined;
  const list = parameters.children.filter((p) => p.type !== 'comment');
  for (let index = 0; index < list.length; index++) {
    const pattern = field(list[index], 'pattern');
    if (!pattern) continue;
    if (pattern.type === 'identifier') {
      if (module.text(pattern) === name) return at(index);
    } else {
      const named = patternNames(module, pattern).find(([n]) => n === name);
      // A rest parameter (`...keys`), a nested pattern: not followed.
      if (named) return pattern.type === 'object_pattern' && named[1] !== null ? at(index, named[1]) : { kind: 'unknown', why: `parameter ${name}` };
    }
  }
  return undefined;
}

/**
 * The names a destructuring pattern binds, each with the member it takes: `{ a, b: c }` gives
 * `a` ← `a` and `c` ← `b`; anything nested, defaulted, computed or rest (and every name of an
 * array pattern) is listed with `null`, so the name is known to be bound here but not followed.
 */
function patternNames(module: CdkModule, pattern: TsNode): [string, string | null][] {
  if (pattern.type === 'object_pattern') {
    return pattern.children.flatMap((member): [string, string | null][] => {
      if (member.type === 'shorthand_property_identifier_pattern') return [[module.text(member), module.text(member)]];
      const key = field(member, 'key');
      const value = field(member, 'value');
      if (member.type === 'pair_pattern' && value?.type === 'identifier' && key && (key.type === 'property_identifier' || key.type === 'string')) {
        const property = key.type === 'string' ? module.text(key).slice(1, -1) : module.text(key);
        return [[module.text(value), property]];
      }
      return allNames(module, member);
    });
  }
  return allNames(module, pattern);
}

/** Every name a pattern binds (not the keys it reads, nor the names in its default values). */
function allNames(module: CdkModule, node: TsNode): [string, null][] {
  const names: [string, null][] = [];
  walk(node, (n) => {
    if (n.field === 'key' || n.field === 'right') return false;
    if (n.type !== 'identifier' && n.type !== 'shorthand_property_identifier_pattern') return true;
    names.push([module.text(n), null]);
    return false;
  });
  return names;
}

export function enclosingClass(node: TsNode): TsNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_declaration' || n.type === 'class' || n.type === 'abstract_class_declaration') return n;
  return undefined;
}

