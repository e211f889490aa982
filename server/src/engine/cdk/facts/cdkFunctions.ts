/**
 * The app's own functions, methods and constructors, as far as a key is followed through them:
 * what one returns (`this.createKey()` is the `new kms.Key(…)` it returns) and where each is
 * called (a parameter is what its call sites give it).
 *
 * A function is followed only when every way it can be reached is seen: its call sites are
 * looked for in its own file and the files of its folder that import it (the files the adapter
 * reads with it, nothing more), and any other mention of it there (passed as a callback, a
 * subclass `extends` it, a method named from outside its class, `super.m(…)`) means its
 * parameters are not known. A call from a file not read (another folder) is not seen.
 */
import { argumentsOf, field, walk, type TsNode } from '../parse/tsTree';
import { FUNCTIONS, enclosingClass, type CdkModule } from './cdkModules';

/** One call of a function: its arguments as written, in the module that writes them. */
export interface CallSite {
  args: TsNode[];
  module: CdkModule;
}

/**
 * The one expression a function returns: an arrow function's expression body, or the value of
 * the one `return` of its body, written at the body's top level (not in a branch or loop).
 * Undefined for anything else, and for an `async` function or a generator (they return a
 * promise or an iterator, not the value).
 */
export function returnedBy(fn: TsNode, module: CdkModule): TsNode | undefined {
  if (!FUNCTIONS.has(fn.type) || fn.type === 'generator_function_declaration') return undefined;
  const parameters = field(fn, 'parameters') ?? field(fn, 'parameter');
  if (/\basync\b|\*/.test(module.source.text.slice(fn.start, parameters?.start ?? fn.start))) return undefined;
  const body = field(fn, 'body');
  if (!body) return undefined;
  if (body.type !== 'statement_block') return body;
  // The body's own returns: not those of the functions and classes written in it.
  const returns: TsNode[] = [];
  walk(body, (node) => {
    if (node.type === 'return_statement') returns.push(node);
    return node === body || (node.type !== 'return_statement' && !FUNCTIONS.has(node.type) && node.type !== 'class' && node.type !== 'class_declaration');
  });
  const only = returns.length === 1 && returns[0].parent === body ? returns[0] : undefined;
  return only?.children.find((c) => c.type !== 'comment');
}

/** Every call of `fn` in the files read with it; undefined when it may be reached some other way. */
export function callSitesOf(fn: TsNode, module: CdkModule): CallSite[] | undefined {
  const modules = [module, ...module.program.importersOf(module)];
  if (fn.type === 'method_definition') {
    const name = field(fn, 'name');
    const owner = enclosingClass(fn);
    if (!name || !owner || owner.type !== 'class_declaration') return undefined;
    if (module.text(name) === 'constructor') return constructions(owner, module, modules);
    return methodCalls(module.text(name), owner, modules);
  }
  // `function make(…)`, or `const make = (…) => …` / `function (…)`.
  const declarator = fn.parent?.type === 'variable_declarator' && field(fn.parent, 'value') === fn ? field(fn.parent, 'name') : undefined;
  const name = fn.type === 'function_declaration' ? field(fn, 'name') : declarator?.type === 'identifier' ? declarator : undefined;
  if (!name) return undefined;
  return calls(module.text(name), modules, name, (m, use) => {
    const binding = m.bindingOf(use);
    return binding.kind === 'value' && binding.node === fn && binding.property === undefined;
  }, (use) => (use.field === 'function' && use.parent?.type === 'call_expression' ? use.parent : undefined));
}

/** `new C(…)` of the class `owner`: every other mention of `C` (`extends C`, `C.of(…)`, `[C]`) leaves its parameters unknown. */
function constructions(owner: TsNode, module: CdkModule, modules: CdkModule[]): CallSite[] | undefined {
  const name = field(owner, 'name');
  if (!name) return undefined;
  return calls(module.text(name), modules, name, (m, use) => {
    const binding = m.bindingOf(use);
    return binding.kind === 'class' && binding.node === owner;
  }, (use) => (use.field === 'constructor' && use.parent?.type === 'new_expression' ? use.parent : undefined));
}

/**
 * The uses of the identifier `name` that `isIt` says name the function, each of which must be a
 * call (`callOf`); the declaration's own name and import / export lists are not uses.
 */
function calls(name: string, modules: CdkModule[], declared: TsNode, isIt: (m: CdkModule, use: TsNode) => boolean, callOf: (use: TsNode) => TsNode | undefined): CallSite[] | undefined {
  const sites: CallSite[] = [];
  for (const m of modules) {
    for (const use of m.identifiersNamed(name)) {
      if (use === declared || use.field === 'name' || inImportOrExportList(use) || !isIt(m, use)) continue;
      const call = callOf(use);
      if (!call) return undefined;
      sites.push({ args: argumentsOf(call), module: m });
    }
  }
  return sites;
}

/** `this.m(…)` in the class that declares `m`: any other `….m` in the files read (another object's, a subclass's, `super.m`, `this.m` not called) leaves its parameters unknown. */
function methodCalls(name: string, owner: TsNode, modules: CdkModule[]): CallSite[] | undefined {
  const sites: CallSite[] = [];
  for (const m of modules) {
    for (const use of m.membersNamed(name)) {
      const call = use.field === 'function' && use.parent?.type === 'call_expression' ? use.parent : undefined;
      if (!call || field(use, 'object')?.type !== 'this' || enclosingClass(use) !== owner) return undefined;
      sites.push({ args: argumentsOf(call), module: m });
    }
  }
  return sites;
}

function inImportOrExportList(node: TsNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'import_statement' || n.type === 'export_clause' || n.type === 'import_specifier' || n.type === 'export_specifier') return true;
    if (n.type === 'program' || n.type === 'statement_block') return false;
  }
  return false;
}
