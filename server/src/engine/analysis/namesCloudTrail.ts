/**
 * The text check a scan asks of a closed CloudFormation template, plan or policy file before
 * parsing it. Every finding of those formats is about a trail (`AWS::CloudTrail::Trail`,
 * `aws_cloudtrail`) or a key whose policy is written for CloudTrail (a `cloudtrail.` service
 * principal, see `isWrittenForCloudTrail`), so a file whose text never spells "cloudtrail" has
 * none, and reading it is enough. Escapes (JSON `\u0063`, YAML `\x63`, a YAML line continuation)
 * could spell the word without writing it: text holding one is parsed, to be safe. What is not
 * caught is the word assembled from pieces (`!Join ['', [cloud, trail.amazonaws.com]]`).
 */
const MAY_NAME_CLOUDTRAIL = /cloudtrail|\\(?:[ux]|\r?\n)/i;

export const mayNameCloudTrail = (text: string): boolean => MAY_NAME_CLOUDTRAIL.test(text);
