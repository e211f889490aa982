/**
 * Renders JSON-shaped data (a key policy) as a Terraform expression, laid out the way
 * `terraform fmt` lays it out: one attribute per line, `=` aligned within each run of
 * single-line attributes.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `${…}` inside these strings is meant as Terraform interpolation; `%{` is escaped. */
export const hclString = (s: string): string => JSON.stringify(s).replace(/%\{/g, '%%{');

/** A plain reference (`data.aws_caller_identity.current.account_id`), as `${…}` holds it. */
const ONLY_INTERPOLATION = /^\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])*)\}$/;

/** A string value: `"${x.y}"` alone is written `x.y` (an interpolation-only string is deprecated HCL). */
export const hclStringValue = (s: string): string => ONLY_INTERPOLATION.exec(s)?.[1] ?? hclString(s);

export function renderHcl(value: JsonValue, indent: string, unit: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return hclStringValue(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = indent + unit;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null) && value.length === 1) return `[${renderHcl(value[0], indent, unit)}]`;
    return `[\n${value.map((v) => `${inner}${renderHcl(v, inner, unit)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const keys = entries.map(([k]) => (BARE_KEY.test(k) ? k : hclString(k)));
  const values = entries.map(([, v]) => renderHcl(v, inner, unit));
  const lines = alignedLines(keys.map((k, i) => [k, values[i]]), inner);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * `name = value` lines aligned the way hclwrite aligns them: `=` lines up within each run of
 * single-line values; a value spanning lines is not padded and ends the run.
 */
export function alignedLines(pairs: [string, string][], indent: string): string[] {
  const lines: string[] = [];
  let run: [string, string][] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const [k, v] of pairs) {
    if (!v.includes('\n')) {
      run.push([k, v]);
      continue;
    }
    flush();
    lines.push(`${indent}${k} = ${v}`);
  }
  flush();
  return lines;
}
