/**
 * Cheap questions asked of every YAML/JSON file before any parsing: could it be a
 * CloudFormation template at all, and which reader should read it.
 */

/** A `Resources:` key at the start of a line (YAML) or after `{` / `,` (JSON, minified too). */
const RESOURCES_KEY = /(?:^|[{,])[ \t]*["']?Resources["']?[ \t]*:/m;

/**
 * False only when the text certainly is not a template: it names neither
 * `AWSTemplateFormatVersion` nor a `Resources` key next to a `::` resource type. Rejects
 * Kubernetes manifests, package.json, tsconfig, policy files and compose files without parsing.
 */
export function mightBeTemplate(text: string): boolean {
  if (text.includes('AWSTemplateFormatVersion')) return true;
  return text.includes('::') && RESOURCES_KEY.test(text);
}

/** JSON when the first significant character opens an object or a `//`, `/*` comment; YAML otherwise. */
export function looksLikeJson(text: string): boolean {
  const match = /^\uFEFF?\s*(\{|\/[/*])/.exec(text);
  return match !== null;
}
