/**
 * Reading JSON with `jsonc-parser`: one safe way to get the tree, for every JSON reader, and
 * the few accessors the readers of generated JSON (Terraform plans) share, each tolerant of a
 * node of the wrong kind (`undefined`, never a throw).
 */
import { parseTree, type Node, type ParseError, type ParseOptions } from 'jsonc-parser';

/**
 * The tree of any text, without a throw: a byte-order mark (an "invalid symbol" to
 * jsonc-parser) reads as a space, and what nests deeper than `MAX_PARSE_DEPTH` is blanked
 * first, since jsonc-parser reads by recursion and would overflow the stack. Every offset holds.
 */
export function parseJsonTree(text: string, errors: ParseError[], options: ParseOptions): Node | undefined {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  return parseTree(blankPastDepth(withoutBom, MAX_PARSE_DEPTH), errors, options);
}

/** Deeper than this, JSON is not read at all (no template, policy or plan nests like this). */
const MAX_PARSE_DEPTH = 1000;

/**
 * The text with the inside of every bracket at nesting level `limit` blanked (line breaks
 * kept, so every position holds): `[[[…]]]` past the limit reads as an empty `[]` at the
 * limit, which `JsonReader` turns into an unknown value anyway. Linear; strings are skipped.
 */
function blankPastDepth(text: string, limit: number): string {
  let depth = 0;
  let blankFrom = -1;
  const blanked: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (ch === 0x5b /* [ */ || ch === 0x7b /* { */) {
      if (++depth === limit) blankFrom = i + 1;
    } else if (ch === 0x5d /* ] */ || ch === 0x7d /* } */) {
      if (depth === limit && blankFrom !== -1) {
        blanked.push([blankFrom, i]);
        blankFrom = -1;
      }
      depth = Math.max(0, depth - 1);
    }
  }
  if (blankFrom !== -1) blanked.push([blankFrom, text.length]);
  if (blanked.length === 0) return text;
  let result = '';
  let from = 0;
  for (const [start, end] of blanked) {
    result += text.slice(from, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ');
    from = end;
  }
  return result + text.slice(from);
}


/** The value of an object's property `name`. */
export function property(object: Node | undefined, name: string): Node | undefined {
  if (object?.type !== 'object') return undefined;
  return valueOf(object.children?.find((p) => keyText(p) === name));
}

/** A property node's value. */
export const valueOf = (prop: Node | undefined): Node | undefined => prop?.children?.[1];

export const objectNode = (node: Node | undefined): Node | undefined => (node?.type === 'object' ? node : undefined);

/** The items of an array node; none for anything else. */
export const arrayItems = (node: Node | undefined): Node[] => (node?.type === 'array' ? node.children ?? [] : []);

/** A property node's key. */
export function keyText(prop: Node): string | undefined {
  const key: unknown = prop.children?.[0]?.value;
  return typeof key === 'string' ? key : undefined;
}

export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** The strings of an array node, skipping anything else. */
export const stringItems = (node: Node | undefined): string[] => arrayItems(node).map(stringValue).filter((s): s is string => s !== undefined);
