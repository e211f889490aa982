/**
 * The TypeScript files of a CDK app as modules: what each imports, what its names are bound
 * to, and which `aws-cdk-lib` symbol an expression names (`cloudtrail.Trail`, `Trail` imported
 * under any alias, `cdk.aws_cloudtrail.Trail`, `aws_kms.KeySpec.RSA_2048`).
 *
 * Bindings are followed only where TypeScript's own scoping makes them certain: a `const`
 * (or a `let` never assigned again) in an enclosing block, a class field written once
 * (`readonly key = …` or `this.key = …`), and names exported by a sibling module the app imports
 * with a relative path. Anything else (a parameter, a destructured or reassigned name) is not
 * followed: its value is unknown, never guessed.
 */
import { dirnameUri } from '../../workspace/files';
import { field, textOf, type TsNode, type TsSource } from '../parse/tsTree';

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
  | { kind: 'value'; node: TsNode; module: CdkModule }
  | { kind: 'class'; node: TsNode; module: CdkModule }
  | { kind: 'import'; symbol: CdkSymbol }
  | { kind: 'unknown'; why: string };

const SCOPES = new Set(['program', 'statement_block', 'class_body', 'switch_case', 'switch_default']);
const FUNCTIONS = new Set(['function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'function', 'generator_function_declaration']);

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

  constructor(readonly source: TsSource, private readonly program: CdkProgram) {
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
      if (FUNCTIONS.has(scope.type) && hasParameter(this, scope, name)) return { kind: 'unknown', why: `parameter ${name}` };
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

  /** What a declaration statement binds: a class, or each `name = value` of a `const` / `let` / `var`. */
  private bindingsOf(statement: TsNode): [string, Binding][] {
    if (statement.type === 'class_declaration') return [[this.text(field(statement, 'name') ?? statement), { kind: 'class', node: statement, module: this }]];
    if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') return [];
    const isConst = this.source.text.startsWith('const', statement.start);
    const result: [string, Binding][] = [];
    for (const declarator of statement.children) {
      const declared = field(declarator, 'name');
      if (declarator.type !== 'variable_declarator' || declared?.type !== 'identifier') continue;
      const name = this.text(declared);
      const value = field(declarator, 'value');
      if (!value) result.push([name, { kind: 'unknown', why: `${name}, declared without a value` }]);
      else if (!isConst && this.reassigned.has(name)) result.push([name, { kind: 'unknown', why: `${name}, assigned more than once` }]);
      else result.push([name, { kind: 'value', node: value, module: this }]);
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

  constructor(
    readonly appRoot: string,
    private readonly parse: (uri: string) => TsSource | undefined,
  ) {}

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

function hasParameter(module: CdkModule, fn: TsNode, name: string): boolean {
  const parameters = field(fn, 'parameters') ?? field(fn, 'parameter');
  if (!parameters) return false;
  if (parameters.type === 'identifier') return module.text(parameters) === name;
  return parameters.children.some((p) => {
    const pattern = field(p, 'pattern');
    if (!pattern) return false;
    // A destructured parameter (`{ key }: Props`) binds the names it lists.
    return pattern.type === 'identifier' ? module.text(pattern) === name : new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(module.text(pattern));
  });
}

export function enclosingClass(node: TsNode): TsNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_declaration' || n.type === 'class' || n.type === 'abstract_class_declaration') return n;
  return undefined;
}

/** Visits every node under `root`, iteratively. */
export function walk(root: TsNode | undefined, visit: (node: TsNode) => void): void {
  const stack = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}
