/**
 * What kind of file a URI names, decided by its name alone (cheap, runs for every file of a
 * workspace scan); whether a YAML/JSON file is a CloudFormation template or a key policy is
 * decided later, by content.
 */
export type FileKind = 'terraform' | 'terraform-json' | 'tfvars' | 'yaml' | 'json' | 'other';

export function fileKind(uri: string): FileKind {
  const name = baseNameOfUri(uri).toLowerCase();
  if (name.endsWith('.tf')) return 'terraform';
  if (name.endsWith('.tf.json')) return 'terraform-json';
  if (name.endsWith('.tfvars') || name.endsWith('.tfvars.json')) return 'tfvars';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.template')) return 'yaml';
  return 'other';
}

export function dirnameUri(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

export function baseNameOfUri(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
