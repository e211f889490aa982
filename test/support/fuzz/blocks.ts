/**
 * Top-level blocks of a seed file, found by layout (the seeds are formatted files): a
 * mutation confined to one block must leave the findings of the others as they were.
 */
import type { FuzzFormat } from './seeds';

export interface Block {
  first: number;
  last: number;
  /** The names other blocks use to refer to this one (`aws_kms_key.logs`, `var.x`, a logical id). */
  names: string[];
  text: string;
}

const HCL_HEADER = /^(resource|data|module|variable|locals|output|provider|terraform)\b\s*(?:"([^"]+)")?\s*(?:"([^"]+)")?/;

function hclNames(header: RegExpMatchArray): string[] {
  const [, kind, a, b] = header;
  if (kind === 'resource' && a && b) return [`${a}.${b}`];
  if (kind === 'data' && a && b) return [`data.${a}.${b}`, `${a}.${b}`];
  if (kind === 'module' && a) return [`module.${a}`];
  if (kind === 'variable' && a) return [`var.${a}`];
  if (kind === 'locals') return ['local.'];
  // provider / terraform / output blocks: nothing the rules read refers to them by name.
  return [];
}

export function topLevelBlocks(format: FuzzFormat, text: string): Block[] | undefined {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  if (format === 'hcl') {
    for (let i = 0; i < lines.length; i++) {
      const header = HCL_HEADER.exec(lines[i]);
      if (!header || !/\{\s*$/.test(lines[i])) continue;
      let end = i;
      while (end < lines.length && !/^\}\s*$/.test(lines[end])) end++;
      if (end === lines.length) return undefined;
      blocks.push({ first: i, last: end, names: hclNames(header), text: lines.slice(i, end + 1).join('\n') });
      i = end;
    }
    return blocks;
  }
  if (format === 'cfnYaml') {
    const start = lines.findIndex((l) => /^Resources:\s*$/.test(l));
    if (start < 0) return undefined;
    let end = start + 1;
    while (end < lines.length && !/^\S/.test(lines[end])) end++;
    for (let i = start + 1; i < end; i++) {
      const header = /^ {2}([A-Za-z0-9]+):\s*$/.exec(lines[i]);
      if (!header) continue;
      let last = i + 1;
      while (last < end && !/^ {2}[A-Za-z0-9]+:\s*$/.test(lines[last])) last++;
      blocks.push({ first: i, last: last - 1, names: [header[1]], text: lines.slice(i, last).join('\n') });
      i = last - 1;
    }
    return blocks;
  }
  return undefined;
}

const mentions = (text: string, names: string[]): boolean => names.some((n) => text.includes(n));

/**
 * The blocks whose findings must survive a mutation of lines `first..last`: not touched, and
 * not linked to a touched block through any chain of references either way. `outsideHitsAll`:
 * a line outside every block (a CloudFormation section header, Parameters) may change them all.
 */
export function intactBlocks(blocks: Block[], touched: { first: number; last: number }, outsideHitsAll = false): Block[] {
  const hit = new Set(blocks.filter((b) => b.first <= touched.last && touched.first <= b.last));
  if (outsideHitsAll && blocks.some((b) => touched.first < b.first || touched.last > b.last) && ![...hit].some((b) => b.first <= touched.first && touched.last <= b.last)) return [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const b of blocks) {
      if (!hit.has(b) && [...hit].some((h) => mentions(b.text, h.names) || mentions(h.text, b.names))) {
        hit.add(b);
        grew = true;
      }
    }
  }
  return blocks.filter((b) => !hit.has(b));
}
