/**
 * A regular expression whose quantified group itself holds a quantifier (`(a+)+`, `(?:-\s+)*`)
 * can take time exponential or polynomial in the text when the inner and outer repetitions
 * can split the same characters in many ways. Every such expression in the engine is listed
 * here with the reason it cannot: a new one fails this test until someone has looked at it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../../support/engine';

/** Reviewed expressions (source text as written), with why each repetition is unambiguous. */
const REVIEWED = new Map<string, string>([
  ['/^[a-z]{2}(-[a-z]+)+-\\d+$/', 'each repetition starts with "-", which [a-z] cannot match: one way to split'],
  ['/^(?:-\\s+)*/', 'each repetition starts with "-", which \\s cannot match: one way to split'],
  ['/^[ ]*(?:-[ ]+)*$/', 'each repetition starts with "-", which [ ] cannot match: one way to split'],
  ['/cloudtrail-kms-lint:ignore(?:[ \\t]+((?:CTK\\d{3}[ \\t,]*)+))?/', 'each repetition starts with "CTK", which [ \\t,] cannot match'],
  ['/\\b(tfsec|trivy):ignore:([A-Za-z0-9_*-]+)((?::(?:exp|ws):[^\\s:]+)*)/', 'each repetition starts with ":", which [^\\s:] cannot match'],
  ['/^\\$\\{([A-Za-z0-9]+(?:::[A-Za-z0-9]+)*)\\}$/', 'repetitions are separated by "::", which the inner class cannot match'],
  ['/^\\$\\{([A-Za-z_][A-Za-z0-9_-]*(?:\\.[A-Za-z_][A-Za-z0-9_-]*|\\[[0-9]+\\])*)\\}$/', 'each repetition starts with "." or "[", which the inner classes cannot match'],
]);

const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** The regular-expression literals of a TypeScript file, found by the TypeScript scanner (not a regex over the source). */
function regexLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Whether a pattern has a quantified group with a quantifier inside it (star height above one). */
export function hasNestedQuantifier(literal: string): boolean {
  const pattern = literal.slice(1, literal.lastIndexOf('/'));
  const groups: boolean[] = []; // per open group: does it hold a quantifier?
  let inClass = false;
  let quantifiedInside = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')') {
      quantifiedInside = groups.pop() ?? false;
      const quantified = repeats(pattern, i + 1);
      if (quantified && quantifiedInside) return true;
      if (groups.length > 0 && (quantified || quantifiedInside)) groups[groups.length - 1] = true;
      continue;
    }
    if (groups.length > 0 && repeats(pattern, i)) groups[groups.length - 1] = true;
  }
  return false;
}

/** Whether the quantifier at `at` repeats without a fixed count (`*`, `+`, `{n,}`, `{n,m}`; not `?` or `{n}`). */
function repeats(pattern: string, at: number): boolean {
  const c = pattern[at];
  return c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}/.test(pattern.slice(at)));
}

describe('regular expressions in the engine', () => {
  it('tells a nested quantifier from a plain one', () => {
    assert.equal(hasNestedQuantifier('/(a+)+/'), true);
    assert.equal(hasNestedQuantifier('/(?:x(?:ab*)?)*/'), true);
    assert.equal(hasNestedQuantifier('/(a|b)*c+/'), false);
    assert.equal(hasNestedQuantifier('/[(+]+(ab)*/'), false);
    assert.equal(hasNestedQuantifier('/(\\d{2})+/'), false);
    assert.equal(hasNestedQuantifier('/(\\d{2,})+/'), true);
  });

  it('has no nested quantifier that is not reviewed as linear', () => {
    const files = walk(path.join(repoRoot(), 'server', 'src', 'engine')).filter((f) => f.endsWith('.ts'));
    const nested = files.flatMap((f) => regexLiterals(f).filter(hasNestedQuantifier).map((literal) => ({ file: path.relative(repoRoot(), f), literal })));
    const unreviewed = nested.filter(({ literal }) => !REVIEWED.has(literal.replace(/\/[a-z]*$/, '/')));
    assert.deepEqual(unreviewed, []);
    // A reviewed expression that is gone is dropped from the list, so that the list stays the review.
    const present = new Set(nested.map(({ literal }) => literal.replace(/\/[a-z]*$/, '/')));
    assert.deepEqual([...REVIEWED.keys()].filter((r) => !present.has(r)), []);
  });
});
