/**
 * Cheap questions asked of every YAML/JSON file before any parsing: could it be a
 * CloudFormation template at all, and which reader should read it.
 */

/**
 * False only when the text certainly is not a template: it names neither
 * `AWSTemplateFormatVersion` nor a `Resources` section with a `::` resource type. Rejects
 * Kubernetes manifests, package.json, tsconfig, policy files and compose files without parsing.
 */
export function mightBeTemplate(text: string): boolean {
  if (text.includes('AWSTemplateFormatVersion')) return true;
  return text.includes('Resources') && text.includes('::');
}

/** JSON when the first significant character opens an object or a `//`, `/*` comment; YAML otherwise. */
export function looksLikeJson(text: string): boolean {
  const match = /^\uFEFF?\s*(\{|\/[/*])/.exec(text);
  return match !== null;
}
