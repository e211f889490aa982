/**
 * The text a JSON string literal stands for, every character mapped to where it is written.
 *
 * Saved output often holds a key policy as JSON text inside a JSON string (`aws kms
 * get-key-policy`'s `"Policy": "{\n  \"Version\" : …"`): read through this table, each node of
 * the inner policy keeps the place of its characters in the outer file, escapes included, so a
 * finding lands on the statement inside the string rather than on the string as a whole.
 */
import { SourcedText, type TextSource } from './sourcedText';

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The literal whose opening quote is at `start` and closing quote at `end - 1` of the source's
 * text, decoded; undefined when it is not a well-formed JSON string.
 */
export function decodeJsonString(source: TextSource, start: number, end: number): SourcedText | undefined {
  const raw = source.lines.text;
  if (raw[start] !== '"' || raw[end - 1] !== '"' || end - start < 2) return undefined;
  const decoded = new SourcedText();
  let run = start + 1;
  for (let i = start + 1; i < end - 1; i++) {
    if (raw[i] !== '\\') continue;
    decoded.appendSource(source, run, i);
    const letter = raw[i + 1];
    if (letter === 'u') {
      const hex = raw.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      decoded.appendDecoded(source, String.fromCharCode(parseInt(hex, 16)), i, i + 6);
      i += 5;
    } else {
      const char = SIMPLE_ESCAPES[letter];
      if (char === undefined) return undefined;
      decoded.appendDecoded(source, char, i, i + 2);
      i += 1;
    }
    run = i + 1;
  }
  if (run > end - 1) return undefined; // the closing quote was taken by an escape
  decoded.appendSource(source, run, end - 1);
  return decoded;
}
