/**
 * Registry and git modules are on disk only after `terraform init`, which records where it
 * put each one in `.terraform/modules/modules.json` of the root module:
 * `{"Modules": [{"Key": "trail", "Source": "registry.terraform.io/…", "Dir": ".terraform/modules/trail"}]}`.
 */
import { parse } from 'jsonc-parser';

interface ModulesManifest {
  Modules?: { Key?: unknown; Dir?: unknown }[];
}

/** The folder URI of the installed module with `key`, if `terraform init` ran in `rootDirUri`. */
export function installedModuleDir(rootDirUri: string, key: string, readFile: (uri: string) => string | undefined): string | undefined {
  const text = readFile(`${rootDirUri}/.terraform/modules/modules.json`);
  if (text === undefined) return undefined;
  const manifest = parse(text) as ModulesManifest | undefined;
  const entry = manifest?.Modules?.find((m) => m.Key === key);
  if (typeof entry?.Dir !== 'string' || entry.Dir.startsWith('/') || entry.Dir.includes('://')) return undefined;
  return new URL(entry.Dir, `${rootDirUri}/`).href.replace(/\/$/, '');
}
