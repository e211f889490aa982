/**
 * JSON policy text (a heredoc, a `file()`, a template, a key-policy file) → the evaluated
 * `Value` the policy code reads, every node carrying the place it was written.
 *
 * Interpolations that are not text (`${jsonencode(local.statements)}`, an input without a
 * value) are embedded as placeholders: inside a JSON string they read `${…}` (a partial
 * string, as the evaluator writes it); where JSON expects a value they become the value itself.
 */
import type { Node, ParseError } from 'jsonc-parser';
import { parseJsonTree } from '../model/jsonNodes';
import type { Location } from '../types';
import type { LineIndex } from '../model/text';
import type { Value } from '../model/values';
import { SourcedText } from './sourcedText';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const EMBEDDED = new RegExp(`^${OPEN}(\\d+)${CLOSE}$`);

export class PolicyText extends SourcedText {
  private readonly embedded: Value[] = [];

  /**
   * A value interpolated into the text, as `written` (`data.aws_caller_identity.current.account_id`).
   * Inside a string: its text, or `${written}` when unknown. Elsewhere: a known string is raw
   * JSON text (that is what a template inserts); anything else is embedded as a value.
   */
  appendValue(value: Value, written: string, where?: Location, lines?: LineIndex): void {
    if (this.insideJsonString) {
      const text = value.kind === 'string' ? value.value : value.kind === 'number' || value.kind === 'bool' ? String(value.value) : `\${${written}}`;
      this.appendMapped(text, where, lines);
      return;
    }
    if (value.kind === 'string' && !value.partial) this.appendMapped(value.value, where, lines);
    else if (value.kind === 'number' || value.kind === 'bool') this.appendMapped(String(value.value), where, lines);
    else if (value.kind === 'null') this.appendMapped('null', where, lines);
    else {
      const embedded: Value = value.kind === 'string' ? { kind: 'unknown', cause: 'runtime', detail: written, origin: value.origin } : value;
      this.embedded.push(embedded.origin || !where ? embedded : ({ ...embedded, origin: where } as Value));
      this.appendMapped(`"${OPEN}${this.embedded.length - 1}${CLOSE}"`, where, lines);
    }
  }

  embeddedValue(index: number): Value | undefined {
    return this.embedded[index];
  }
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

export interface ParsedJsonText {
  /** Undefined when there is no JSON value at all. */
  value: Value | undefined;
  errors: ParseError[];
}

/** Parses the assembled text; nodes get the origins of their first and last characters. */
export function parsePolicyText(text: SourcedText): ParsedJsonText {
  const errors: ParseError[] = [];
  const tree = parseJsonTree(text.text, errors, PARSE_OPTIONS);
  return { value: tree ? toValue(tree, text) : undefined, errors };
}

function toValue(node: Node, text: SourcedText): Value {
  const origin = text.location(node.offset, node.offset + node.length);
  switch (node.type) {
    case 'object': {
      const entries = new Map<string, Value>();
      const keyOrigins = new Map<string, Location>();
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value || typeof key.value !== 'string') continue;
        entries.set(key.value, toValue(value, text));
        const keyOrigin = text.location(key.offset, key.offset + key.length);
        if (keyOrigin) keyOrigins.set(key.value, keyOrigin);
      }
      return { kind: 'object', entries, keyOrigins, origin };
    }
    case 'array':
      return { kind: 'list', items: (node.children ?? []).map((item) => toValue(item, text)), origin };
    case 'string': {
      const s = String(node.value);
      const embedded = EMBEDDED.exec(s);
      const value = embedded && text instanceof PolicyText ? text.embeddedValue(Number(embedded[1])) : undefined;
      if (value) return value;
      return s.includes('${') ? { kind: 'string', value: s, partial: true, origin } : { kind: 'string', value: s, origin };
    }
    case 'number':
      return { kind: 'number', value: Number(node.value), origin };
    case 'boolean':
      return { kind: 'bool', value: node.value === true, origin };
    case 'null':
      return { kind: 'null', origin };
    default:
      return { kind: 'unknown', cause: 'runtime', detail: 'text that is not JSON', origin };
  }
}

/** Whether a JSON object is a policy document (`Statement` and `Version` at the top). */
export const isPolicyDocumentValue = (value: Value | undefined): boolean =>
  value?.kind === 'object' && value.entries.has('Statement') && value.entries.has('Version');
