/**
 * ESLint-style rule tests: `valid` cases must produce no finding of the rule, `invalid` cases
 * exactly the listed ones (message id, 1-based line, data where given), and a listed fix must
 * turn the files into `output`, leave valid HCL (HashiCorp's parser says so) and CloudFormation
 * templates that still parse cleanly (strict JSON stays strict JSON), clear the finding, and
 * not be offered again (so applying it twice changes nothing).
 */
import * as assert from 'node:assert/strict';
import type { Finding, RuleId } from '../../server/src/engine';
import { applyEdits } from './applyEdits';
import { memoryAnalyzer, memUri } from './engine';
import { validateHcl } from './hclOracle';
import { parseCloudFormation } from '../../server/src/engine/cloudformation/parse/cloudformation';

export interface ValidCase {
  name: string;
  files: Record<string, string>;
  /** The file analysed; defaults to the first. */
  file?: string;
}

export interface ExpectedFinding {
  messageId: string;
  line: number;
  data?: Record<string, string>;
  /** Set when the finding is expected to be reported but suppressed. */
  suppressedBy?: string;
}

export interface ExpectedFix {
  /** The fix's title starts with this. */
  title: string;
  /** Files after the fix; files not named are unchanged. Omit to check validity only. */
  output?: Record<string, string>;
  /** Extra checks on the fixed files. */
  check?: (files: Record<string, string>) => void;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** Fixes of the first finding to apply one by one; `[]` = assert there is none but suppression. */
  fixes?: ExpectedFix[];
}

async function findingsOf(ruleId: RuleId, files: Record<string, string>, file: string): Promise<Finding[]> {
  const analyzer = await memoryAnalyzer(files);
  return analyzer.analyze(memUri(file)).filter((f) => f.ruleId === ruleId);
}

/** Every case registered so far, by rule: the rules meta-test reads it. */
export const registeredCases = new Map<RuleId, { valid: ValidCase[]; invalid: InvalidCase[] }[]>();

export function ruleTests(ruleId: RuleId, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  registeredCases.set(ruleId, [...(registeredCases.get(ruleId) ?? []), cases]);
  describe(`${ruleId} rule cases`, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const file = c.file ?? Object.keys(c.files)[0];
        const findings = (await findingsOf(ruleId, c.files, file)).filter((f) => !f.suppressedBy);
        assert.deepEqual(findings.map((f) => `${f.messageId}@${f.range.start.line + 1}: ${f.message}`), []);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const file = c.file ?? Object.keys(c.files)[0];
        const findings = await findingsOf(ruleId, c.files, file);
        assert.deepEqual(
          findings.map((f) => ({ messageId: f.messageId, line: f.range.start.line + 1, suppressedBy: f.suppressedBy })),
          c.errors.map((e) => ({ messageId: e.messageId, line: e.line, suppressedBy: e.suppressedBy })),
          `findings: ${findings.map((f) => f.message).join(' | ')}`,
        );
        c.errors.forEach((expected, i) => {
          for (const [key, value] of Object.entries(expected.data ?? {})) assert.equal(findings[i].data[key], value, `data.${key}`);
        });
        for (const expected of c.fixes ?? []) await checkFix(ruleId, c, file, findings[0], expected);
      });
    }
  });
}

async function checkFix(ruleId: RuleId, c: InvalidCase, file: string, finding: Finding, expected: ExpectedFix): Promise<void> {
  const fix = finding.fixes.find((f) => f.title.startsWith(expected.title));
  assert.ok(fix, `no fix titled "${expected.title}…"; offered: ${finding.fixes.map((f) => f.title).join(' | ')}`);
  const fixed = { ...c.files };
  for (const { uri, edits } of fix.edits) {
    const name = Object.keys(fixed).find((n) => memUri(n) === uri);
    assert.ok(name, `fix edits an unknown file ${uri}`);
    fixed[name] = applyEdits(fixed[name], edits);
  }
  if (expected.output) for (const [name, text] of Object.entries(expected.output)) assert.equal(fixed[name], text, `${name} after "${fix.title}"`);
  expected.check?.(fixed);
  const hclFiles = Object.entries(fixed).filter(([name]) => /\.(tf|tofu)$/.test(name)).map(([name, text]) => ({ name, text }));
  for (const result of await validateHcl(hclFiles)) assert.equal(result.error, null, `${result.name} is not valid HCL after "${fix.title}"`);
  for (const [name, text] of Object.entries(fixed)) assertStillTemplate(name, c.files[name], text, fix.title);
  const after = (await findingsOf(ruleId, fixed, file)).filter((f) => f.resource === finding.resource && !f.suppressedBy);
  assert.deepEqual(after.map((f) => f.message), [], `"${fix.title}" left the finding`);
  assert.ok(!after.some((f) => f.fixes.some((g) => g.title === fix.title)), 'the fix is offered again');
}

/** A CloudFormation template that parsed cleanly before a fix still does after it (YAML or JSON). */
function assertStillTemplate(name: string, before: string | undefined, after: string, title: string): void {
  if (!/\.(ya?ml|json|template)$/.test(name) || /\.(tf|tofu)\.json$/.test(name) || before === undefined || before === after) return;
  const original = parseCloudFormation(memUri(name), before);
  if (!original || original.syntaxErrors.length > 0) return;
  const fixed = parseCloudFormation(memUri(name), after);
  assert.ok(fixed, `${name} is no longer a CloudFormation template after "${title}"`);
  assert.deepEqual(fixed.syntaxErrors, [], `${name} does not parse cleanly after "${title}"`);
  if (isStrictJson(before)) assert.ok(isStrictJson(after), `${name} is no longer strict JSON after "${title}" (CloudFormation reads no comments or trailing commas)`);
}

function isStrictJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
