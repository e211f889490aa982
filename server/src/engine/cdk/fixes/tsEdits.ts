/**
 * Edits of a CDK app's TypeScript in the file's own style: its quotes (those of its imports),
 * whether its statements end with `;`, its indentation unit, its line breaks, and whether its
 * multi-line object literals end with a trailing comma. Every edit inserts or replaces only what
 * it targets; imports a fix needs are added after the file's last import when missing.
 */
import type { Position, TextEdit } from '../../types';
import { indentationOf, lineBreakOf } from '../../model/text';
import { field, rangeOf, type TsNode, type TsSource } from '../parse/tsTree';
import type { CdkModule } from '../facts/cdkModules';
import { propertyName } from '../facts/cdkEvaluator';

export interface TsStyle {
  quote: string;
  semicolon: string;
  indent: string;
  eol: string;
}

export function styleOf(source: TsSource): TsStyle {
  const imports = source.root.children.filter((c) => c.type === 'import_statement');
  const quoted = imports.map((i) => field(i, 'source')).find((s) => s !== undefined);
  const quote = quoted ? source.text[quoted.start] : /"[^"\n]*"/.test(source.text) && !/'[^'\n]*'/.test(source.text) ? '"' : "'";
  const statements = [...imports, ...source.root.children.filter((c) => c.type === 'expression_statement' || c.type === 'lexical_declaration')];
  const withSemicolon = statements.filter((s) => source.text[s.end - 1] === ';').length;
  const semicolon = statements.length === 0 || withSemicolon * 2 >= statements.length ? ';' : '';
  return { quote, semicolon, indent: indentUnit(source.text), eol: lineBreakOf(source.text) };
}

/** The smallest indentation the file uses: a tab, or that many spaces (2 when nothing is indented). */
function indentUnit(text: string): string {
  let smallest = Infinity;
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) return '\t';
    const spaces = /^( +)\S/.exec(line)?.[1].length;
    if (spaces !== undefined && spaces < smallest) smallest = spaces;
  }
  return ' '.repeat(Number.isFinite(smallest) ? smallest : 2);
}

export const quoted = (text: string, style: TsStyle): string => `${style.quote}${text.replace(/\\/g, '\\\\').split(style.quote).join(`\\${style.quote}`)}${style.quote}`;

/** The indentation of the line a node starts on. */
export const indentAt = (source: TsSource, node: TsNode): string => indentationOf(source.lines.line(source.lines.positionAt(node.start).line));

const at = (source: TsSource, offset: number): Position => source.lines.positionAt(offset);
export const insertAt = (source: TsSource, offset: number, newText: string): TextEdit => ({ range: { start: at(source, offset), end: at(source, offset) }, newText });

/** Inserts whole lines before the line `node` starts on. */
export function linesBefore(source: TsSource, node: TsNode, lines: string[]): TextEdit {
  const start = { line: source.lines.positionAt(node.start).line, character: 0 };
  return { range: { start, end: start }, newText: lines.map((l) => l + lineBreakOf(source.text)).join('') };
}

/** Inserts whole lines after the line `node` ends on. */
export function linesAfter(source: TsSource, node: TsNode, lines: string[]): TextEdit {
  const eol = lineBreakOf(source.text);
  const endLine = source.lines.positionAt(node.end).line;
  const end = { line: endLine, character: source.lines.line(endLine).length };
  return { range: { start: end, end }, newText: lines.map((l) => eol + l).join('') };
}

/**
 * Sets `name: value` in a construct's props: replaces the value when the member is written,
 * else adds the member (the props object, or a props argument when there is none).
 */
export function setProp(module: CdkModule, newExpression: TsNode, props: TsNode | undefined, name: string, value: string): TextEdit | undefined {
  const source = module.source;
  const style = styleOf(source);
  if (props) {
    const existing = props.children.find((p) => propertyName(p, module) === name);
    if (existing) {
      const written = existing.type === 'pair' ? field(existing, 'value') : undefined;
      return written ? { range: rangeOf(source, written), newText: value } : { range: rangeOf(source, existing), newText: `${name}: ${value}` };
    }
    const members = props.children.filter((c) => c.type !== 'comment');
    const last = members[members.length - 1];
    const multiLine = source.lines.positionAt(props.start).line !== source.lines.positionAt(props.end).line;
    if (!last) return { range: rangeOf(source, props), newText: `{ ${name}: ${value} }` };
    const after = source.text.slice(last.end, props.end - 1);
    const hasComma = /^\s*,/.test(after);
    if (multiLine) {
      const indent = indentAt(source, last);
      // After the last member's comma (or a new one), on a line of its own, keeping a trailing comma if the file uses one.
      const commaEnd = hasComma ? last.end + after.indexOf(',') + 1 : last.end;
      return insertAt(source, commaEnd, `${hasComma ? '' : ','}${style.eol}${indent}${name}: ${value}${hasComma ? ',' : ''}`);
    }
    return insertAt(source, last.end, `, ${name}: ${value}`);
  }
  const args = field(newExpression, 'arguments');
  const given = (args?.children ?? []).filter((c) => c.type !== 'comment');
  if (!args || given.length !== 2) return undefined;
  return insertAt(source, given[1].end, `, { ${name}: ${value} }`);
}

/**
 * How a module names the `aws-cdk-lib` symbols a fix writes (`kms.Key`, `Key`, `cdk.aws_kms.Key`),
 * and the import edits that make the names it lacks available: a name added to an existing
 * `import { … }` of that module, else one new import per module after the file's last import.
 */
export class ImportPlan {
  private readonly named = new Map<TsNode, string[]>();
  private readonly added = new Map<string, string[]>();

  constructor(private readonly module: CdkModule) {}

  ref(cdkModule: string, name: string, alias: string): string {
    const namespaceName = cdkModule.startsWith('aws-cdk-lib/') ? cdkModule.slice('aws-cdk-lib/'.length).replace(/-/g, '_') : undefined;
    const imports = [...this.module.imports];
    for (const [local, imported] of imports) {
      if (imported.module === cdkModule && imported.name === undefined) return `${local}.${name}`;
      if (imported.module === cdkModule && imported.name === name) return local;
      if (imported.module === 'aws-cdk-lib' && namespaceName && imported.name === namespaceName) return `${local}.${name}`;
    }
    for (const [local, imported] of imports) {
      if (imported.module === 'aws-cdk-lib' && imported.name === undefined) return namespaceName ? `${local}.${namespaceName}.${name}` : `${local}.${name}`;
    }
    const list = this.namedImportsOf(cdkModule);
    if (list) {
      this.named.set(list, [...new Set([...(this.named.get(list) ?? []), name])]);
      return name;
    }
    const wanted = this.added.get(cdkModule) ?? [];
    this.added.set(cdkModule, [...new Set([...wanted, cdkModule === 'aws-cdk-lib' ? name : alias])]);
    return cdkModule === 'aws-cdk-lib' ? name : `${alias}.${name}`;
  }

  edits(): TextEdit[] {
    const source = this.module.source;
    const style = styleOf(source);
    const edits: TextEdit[] = [];
    for (const [list, names] of this.named) {
      const specifiers = list.children.filter((c) => c.type === 'import_specifier');
      const last = specifiers[specifiers.length - 1];
      edits.push(last ? insertAt(source, last.end, names.map((n) => `, ${n}`).join('')) : { range: rangeOf(source, list), newText: `{ ${names.join(', ')} }` });
    }
    const lines = [...this.added].map(([cdkModule, names]) => cdkModule === 'aws-cdk-lib'
      ? `import { ${names.join(', ')} } from ${quoted(cdkModule, style)}${style.semicolon}`
      : `import * as ${names[0]} from ${quoted(cdkModule, style)}${style.semicolon}`);
    if (lines.length > 0) {
      const imports = source.root.children.filter((c) => c.type === 'import_statement');
      const lastImport = imports[imports.length - 1];
      edits.push(lastImport ? linesAfter(source, lastImport, lines) : insertAt(source, 0, lines.map((l) => l + style.eol).join('')));
    }
    return edits;
  }

  /** The `{ … }` of a value import from `cdkModule`, if the file has one. */
  private namedImportsOf(cdkModule: string): TsNode | undefined {
    const source = this.module.source;
    for (const statement of source.root.children) {
      const from = field(statement, 'source');
      if (statement.type !== 'import_statement' || !from || source.text.slice(from.start + 1, from.end - 1) !== cdkModule) continue;
      if (source.text.startsWith('import type', statement.start)) continue;
      const list = statement.children.find((c) => c.type === 'import_clause')?.children.find((c) => c.type === 'named_imports');
      if (list) return list;
    }
    return undefined;
  }
}
