/**
 * KMS key ids, as AWS writes them: a key UUID (`1234abcd-12ab-34cd-56ef-1234567890ab`) or a
 * multi-Region key id (`mrk-` and 32 hex digits). `get-key-policy` output does not say which
 * key it is the policy of, so its file name carries the id (docs/inputs/deployed.md).
 */
const KEY_ID = /(?<![0-9a-z])(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-z])/gi;
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]*:\d*:key\/(.+)$/i;

/** The one key id in a file name, lower-cased; undefined when it holds none, or two different ones. */
export function keyIdInFileName(fileName: string): string | undefined {
  const ids = new Set([...fileName.matchAll(KEY_ID)].map((m) => m[1].toLowerCase()));
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** The key id a key ARN (or a bare key id) names, lower-cased; undefined for an alias or anything else. */
export function keyIdOf(reference: string): string | undefined {
  const id = KEY_ARN.exec(reference)?.[1] ?? reference;
  return new RegExp(`^${KEY_ID.source}$`, 'i').test(id) ? id.toLowerCase() : undefined;
}
