/**
 * The rule pages under docs/rules: one per rule id, each complete enough to act on (title,
 * default severity, Terraform and CloudFormation examples, key-policy JSON for the policy
 * rules), an index that lists them all, and no broken links or unparsable examples.
 *
 * The catalog below is DESIGN.md's rule table, the contract the CLI, settings and suppressions
 * share. When the engine's rule index exists, the meta-test that walks it should also check that
 * `meta.docs.url` points at these files.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';

const CATALOG: { id: string; name: string; severity: 'error' | 'warning' | 'information' }[] = [
  { id: 'CTK001', name: 'trail-missing-cmk', severity: 'warning' },
  { id: 'CTK002', name: 'trail-cmk-unresolved', severity: 'information' },
  { id: 'CTK003', name: 'trail-key-not-cmk', severity: 'error' },
  { id: 'CTK004', name: 'trail-key-disabled', severity: 'error' },
  { id: 'CTK005', name: 'trail-key-other-region', severity: 'error' },
  { id: 'CTK101', name: 'key-policy-no-cloudtrail-encrypt', severity: 'error' },
  { id: 'CTK102', name: 'key-policy-encrypt-unscoped', severity: 'warning' },
  { id: 'CTK103', name: 'key-policy-no-cloudtrail-describe', severity: 'warning' },
  { id: 'CTK104', name: 'key-policy-no-log-readers', severity: 'warning' },
  { id: 'CTK105', name: 'key-policy-decrypt-too-broad', severity: 'warning' },
  { id: 'CTK106', name: 'key-policy-invalid', severity: 'error' },
  { id: 'CTK107', name: 'trail-bucket-key-no-decrypt', severity: 'error' },
  { id: 'CTK201', name: 'key-rotation-disabled', severity: 'information' },
  { id: 'CTK202', name: 'trail-log-validation-disabled', severity: 'information' },
  { id: 'CTK301', name: 'event-data-store-missing-cmk', severity: 'warning' },
  { id: 'CTK302', name: 'event-data-store-key-not-cmk', severity: 'error' },
  { id: 'CTK303', name: 'event-data-store-key-policy-no-cloudtrail', severity: 'error' },
  { id: 'CTK304', name: 'event-data-store-key-no-query-access', severity: 'warning' },
  { id: 'CTK401', name: 'trail-sns-topic-key-no-cloudtrail', severity: 'warning' },
];

const REQUIRED_SECTIONS = [
  '## What it checks',
  '## Why it matters',
  '## Examples',
  '## Quick fixes',
  '## Suppressing',
  '## Compared with other tools',
];

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

const rulesDir = path.join(findRepoRoot(__dirname), 'docs', 'rules');

interface CodeBlock {
  lang: string;
  body: string;
  line: number;
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    assert.ok(i < lines.length, `code block opened on line ${start + 1} is never closed`);
    blocks.push({ lang: open[1], body: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add(
      match[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

const isTerraform = (b: CodeBlock): boolean =>
  b.lang === 'hcl' && /^\s*(resource|data|module|variable)\s+"/m.test(b.body);
const isCloudFormation = (b: CodeBlock): boolean => b.lang === 'yaml' && /Type:\s*AWS::/.test(b.body);

describe('rule documentation (docs/rules)', function () {
  for (const rule of CATALOG) {
    describe(`${rule.id} ${rule.name}`, function () {
      const file = path.join(rulesDir, `${rule.id}.md`);
      let text = '';

      before(function () {
        assert.ok(fs.existsSync(file), `${file} is missing`);
        text = fs.readFileSync(file, 'utf8');
      });

      it('starts with the id and name as its title', function () {
        assert.strictEqual(text.split('\n')[0], `# ${rule.id}: ${rule.name}`);
      });

      it('states the default severity from the catalog', function () {
        const match = /\*\*Default severity:\*\*\s*(\w+)/.exec(text);
        assert.ok(match, 'no "**Default severity:**" line');
        assert.strictEqual(match[1], rule.severity);
      });

      it('has every section', function () {
        for (const heading of REQUIRED_SECTIONS) {
          assert.ok(text.includes(`\n${heading}\n`), `missing section "${heading}"`);
        }
      });

      it('shows a Terraform example and a CloudFormation example', function () {
        const blocks = codeBlocks(text);
        assert.ok(blocks.some(isTerraform), 'no ```hcl block declaring a resource, data source, module or variable');
        assert.ok(blocks.some(isCloudFormation), 'no ```yaml block with a "Type: AWS::…" resource');
      });

      if (rule.id.startsWith('CTK1')) {
        it('shows the key policy as JSON', function () {
          const json = codeBlocks(text).filter((b) => b.lang === 'json');
          assert.ok(json.some((b) => b.body.includes('"Effect"')), 'no ```json block with a policy statement');
        });
      }

      it('shows how to suppress it in Terraform and in CloudFormation Metadata', function () {
        assert.ok(text.includes(`cloudtrail-kms-lint:ignore ${rule.id}`), 'no suppression comment for this id');
        assert.ok(new RegExp(`ignore:\\s*\\[[^\\]]*${rule.id}`).test(text), 'no Metadata ignore list for this id');
      });

      it('has JSON examples that parse and YAML examples that parse', function () {
        for (const block of codeBlocks(text)) {
          if (block.lang === 'json') {
            assert.doesNotThrow(() => JSON.parse(block.body), `JSON block on line ${block.line} does not parse`);
          }
          if (block.lang === 'yaml') {
            const document = parseDocument(block.body);
            assert.deepStrictEqual(
              document.errors.map((e) => e.message),
              [],
              `YAML block on line ${block.line} does not parse`,
            );
          }
        }
      });
    });
  }

  it('has no page for an id outside the catalog', function () {
    const pages = fs.readdirSync(rulesDir).filter((f) => /^CTK\d+\.md$/.test(f));
    const known = new Set(CATALOG.map((r) => `${r.id}.md`));
    assert.deepStrictEqual(pages.filter((p) => !known.has(p)), []);
  });

  it('indexes every rule in README.md with its name and severity', function () {
    const index = fs.readFileSync(path.join(rulesDir, 'README.md'), 'utf8');
    for (const rule of CATALOG) {
      const row = index.split('\n').find((l) => l.startsWith(`| [${rule.id}](${rule.id}.md) |`));
      assert.ok(row, `no index row linking ${rule.id}.md`);
      const cells = row.split('|').map((c) => c.trim());
      assert.strictEqual(cells[2], rule.name, `${rule.id} name in the index`);
      assert.strictEqual(cells[3], rule.severity, `${rule.id} severity in the index`);
    }
  });

  it('has no broken relative links', function () {
    const broken: string[] = [];
    for (const page of fs.readdirSync(rulesDir).filter((f) => f.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(rulesDir, page), 'utf8');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1];
        if (/^[a-z]+:/.test(target)) continue; // http(s), mailto
        const [file, anchor] = target.split('#');
        const targetPath = file ? path.join(rulesDir, file) : path.join(rulesDir, page);
        if (!fs.existsSync(targetPath)) {
          broken.push(`${page}: ${target} (no such file)`);
          continue;
        }
        if (anchor && !anchorsOf(fs.readFileSync(targetPath, 'utf8')).has(anchor)) {
          broken.push(`${page}: ${target} (no such heading)`);
        }
      }
    }
    assert.deepStrictEqual(broken, []);
  });
});
