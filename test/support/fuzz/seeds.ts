/**
 * The valid files mutants are grown from: the shared corpus (read in place) and the project's
 * fixtures, sorted into the adapters that read them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, repoRoot } from '../engine';

export type FuzzFormat = 'hcl' | 'tfjson' | 'cfnYaml' | 'cfnJson' | 'policy' | 'plan' | 'state' | 'awsCli';
export const FORMATS: FuzzFormat[] = ['hcl', 'tfjson', 'cfnYaml', 'cfnJson', 'policy', 'plan', 'state', 'awsCli'];

export interface SeedFile {
  /** Where it came from, relative to the corpus or the repository: printed with a failure. */
  source: string;
  /** The name it gets in the fuzzed workspace (its extension decides the adapter). */
  name: string;
  text: string;
}

const walk = (dir: string): string[] => {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
  });
};

/** Which adapter reads a file, judged as the engine does: by name, then by content for JSON. */
export function formatOf(file: string, text: string): FuzzFormat | undefined {
  if (file.endsWith('.tf.json')) return 'tfjson';
  if (file.endsWith('.tf')) return 'hcl';
  if (file.endsWith('.json') || file.endsWith('.template')) {
    const trimmed = text.trimStart();
    if (!trimmed.startsWith('{')) return file.endsWith('.template') ? 'cfnYaml' : undefined;
    if (/"resource_changes"|"planned_values"/.test(text)) return 'plan';
    if (/"values"\s*:\s*\{\s*"root_module"/.test(text)) return 'state';
    if (/"Resources"\s*:/.test(text)) return 'cfnJson';
    if (/"(trailList|KeyMetadata|EventDataStoreArn)"\s*:|"Policy"\s*:\s*"/.test(text)) return 'awsCli';
    if (/"Statement"\s*:/.test(text)) return 'policy';
    return undefined;
  }
  if (/\.ya?ml$/.test(file)) return /^Resources:/m.test(text) ? 'cfnYaml' : undefined;
  return undefined;
}

const EXTENSION: Record<FuzzFormat, string> = {
  hcl: 'main.tf', tfjson: 'main.tf.json', cfnYaml: 'template.yaml', cfnJson: 'template.json', policy: 'policy.json', plan: 'plan.json', state: 'state.json',
  // A key id in the name: a get-key-policy seed is then linked to its key, as the docs name such files.
  awsCli: '0a1b2c3d-1111-4a5b-8c9d-0123456789ab.json',
};

let cached: Map<FuzzFormat, SeedFile[]> | undefined;

export function seedFiles(format: FuzzFormat): SeedFile[] {
  if (!cached) {
    cached = new Map(FORMATS.map((f) => [f, []]));
    const roots: [string, string][] = [[corpusDir(), 'corpus'], [path.join(repoRoot(), 'test', 'fixtures'), 'test/fixtures']];
    for (const [root, label] of roots) {
      for (const file of walk(root).sort()) {
        const text = fs.readFileSync(file, 'utf8');
        const format = formatOf(file, text);
        if (format) cached.get(format)!.push({ source: `${label}/${path.relative(root, file)}`, name: EXTENSION[format], text });
      }
    }
  }
  return cached.get(format)!;
}

/** Corpus folders holding Terraform: whole modules, for the engine-level fuzzer. */
export function seedModules(): { source: string; files: Record<string, string> }[] {
  const byDir = new Map<string, Record<string, string>>();
  for (const file of walk(corpusDir()).sort()) {
    if (!file.endsWith('.tf') && !file.endsWith('.tf.json')) continue;
    const dir = path.dirname(file);
    const files = byDir.get(dir) ?? {};
    files[path.basename(file)] = fs.readFileSync(file, 'utf8');
    byDir.set(dir, files);
  }
  return [...byDir].map(([dir, files]) => ({ source: `corpus/${path.relative(corpusDir(), dir)}`, files }));
}
