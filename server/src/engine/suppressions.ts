/**
 * Suppression comments: our own, and the peers' for the same checks, so a codebase that
 * already silenced Checkov, tfsec/Trivy or KICS on purpose is not nagged again.
 *
 * A comment applies to a finding when it sits in the run of comment lines directly above the
 * finding's block, on its header line, inside the block (Checkov's habit), or on or right
 * above the finding's own line (tfsec's habit on an attribute).
 */
import type { Range, RuleId } from './types';
import type { Comment } from './model/syntax';

/** Which of our rules a peer's check id covers. */
const PEER_IDS: Record<string, RuleId[]> = {
  // Checkov
  ckv_aws_35: ['CTK001', 'CTK003'],
  ckv_aws_36: ['CTK202'],
  ckv_aws_7: ['CTK201'],
  // tfsec / Trivy, long and short ids
  'aws-cloudtrail-enable-at-rest-encryption': ['CTK001', 'CTK003'],
  'aws-cloudtrail-encryption-customer-managed-key': ['CTK001', 'CTK003'],
  'avd-aws-0015': ['CTK001', 'CTK003'],
  'aws-cloudtrail-enable-log-validation': ['CTK202'],
  'avd-aws-0016': ['CTK202'],
  'aws-kms-auto-rotate-keys': ['CTK201'],
  // "SNS topic encrypted with the AWS-managed key": only CTK401's finding on the topic is near such a comment
  'aws-sns-topic-encryption-use-cmk': ['CTK401'],
  'avd-aws-0136': ['CTK401'],
  'avd-aws-0065': ['CTK201'],
  // KICS query ids: "CloudTrail Log Files Not Encrypted With KMS" for Terraform and for CloudFormation
  '5d9e3164-9265-470c-9a10-57ae454ac0c7': ['CTK001', 'CTK003'],
  '050a9ba8-d1cb-4c61-a5e8-8805a70d3b85': ['CTK001', 'CTK003'],
  // cfn-guard
  cloud_trail_encryption_enabled: ['CTK001', 'CTK003'],
  cloud_trail_log_file_validation_enabled: ['CTK202'],
  cmk_backing_key_rotation_enabled: ['CTK201'],
};

export interface Suppression {
  /** Rules it silences; undefined = all of ours. */
  rules: RuleId[] | undefined;
  /** `line`: only findings starting on the next line; `block`: the block starting on the next line; `file`: the whole file. */
  scope: 'near' | 'line' | 'block' | 'file';
  comment: Comment;
  /** Said in the CLI's report: which syntax silenced the finding. */
  source: string;
}

const OWN = /cloudtrail-kms-lint:ignore(?:[ \t]+((?:CTK\d{3}[ \t,]*)+))?/i;
const CHECKOV = /checkov:skip=([A-Za-z0-9_]+)/i;
/** `trivy:ignore:AVD-AWS-0015`, optionally `:exp:2026-06-30` (until that day) and `:ws:prod` (one workspace). */
const TFSEC = /\b(tfsec|trivy):ignore:([A-Za-z0-9_*-]+)((?::(?:exp|ws):[^\s:]+)*)/i;
const KICS = /kics-scan[ \t]+(ignore-line|ignore-block)/i;
/** KICS's file-level commands: `kics-scan ignore` (every query) and `kics-scan disable=<query id>,…`. */
const KICS_FILE = /kics-scan[ \t]+(?:(ignore)(?![-\w])|disable=([0-9a-f,\s-]+))/i;

/** `today` is the UTC date as `YYYY-MM-DD`, for Trivy's expiring ignores. */
export function parseSuppression(comment: Comment, today = new Date().toISOString().slice(0, 10)): Suppression | undefined {
  const own = OWN.exec(comment.text);
  if (own) {
    const ids = own[1]?.match(/CTK\d{3}/gi)?.map((id) => id.toUpperCase() as RuleId);
    return { rules: ids, scope: 'near', comment, source: 'cloudtrail-kms-lint:ignore' };
  }
  const checkov = CHECKOV.exec(comment.text);
  if (checkov) return peer(checkov[1], comment, `checkov:skip=${checkov[1]}`);
  const tfsec = TFSEC.exec(comment.text);
  if (tfsec) {
    if (!trivyConditionsHold(tfsec[3], today)) return undefined;
    const source = `${tfsec[1]}:ignore:${tfsec[2]}`;
    return tfsec[2] === '*' ? { rules: undefined, scope: 'near', comment, source } : peer(tfsec[2], comment, source);
  }
  const kics = KICS.exec(comment.text);
  if (kics) return { rules: undefined, scope: kics[1].toLowerCase() === 'ignore-line' ? 'line' : 'block', comment, source: `kics-scan ${kics[1]}` };
  const kicsFile = KICS_FILE.exec(comment.text);
  if (kicsFile?.[1]) return { rules: undefined, scope: 'file', comment, source: 'kics-scan ignore' };
  if (kicsFile?.[2]) {
    const rules = [...new Set(kicsFile[2].split(',').flatMap((id) => PEER_IDS[id.trim().toLowerCase()] ?? []))];
    return rules.length > 0 ? { rules, scope: 'file', comment, source: `kics-scan disable=${kicsFile[2].trim()}` } : undefined;
  }
  return undefined;
}

/**
 * Trivy's suffixes: an ignore with `exp:YYYY-MM-DD` stops applying after that day; one with
 * `ws:NAME` applies only in that Terraform workspace. The engine judges the configuration as
 * `terraform plan` would in the `default` workspace, so `ws:default` and `ws:*` apply, others not.
 */
function trivyConditionsHold(suffixes: string, today: string): boolean {
  for (const [, key, value] of suffixes.matchAll(/:(exp|ws):([^\s:]+)/gi)) {
    if (key.toLowerCase() === 'exp' && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < today)) return false;
    if (key.toLowerCase() === 'ws' && value !== 'default' && value !== '*') return false;
  }
  return true;
}

function peer(id: string, comment: Comment, source: string): Suppression | undefined {
  const rules = PEER_IDS[id.toLowerCase()];
  return rules ? { rules, scope: 'near', comment, source } : undefined;
}

export function peerRulesFor(id: string): RuleId[] | undefined {
  return PEER_IDS[id.toLowerCase()];
}

/** The suppression that silences a finding of `ruleId` at `range` in block `subject`, if any. */
export function findSuppression(suppressions: Suppression[], ruleId: RuleId, range: Range, subject: Range, isCommentLine: (line: number) => boolean): Suppression | undefined {
  return suppressions.find((s) => {
    if (s.rules && !s.rules.includes(ruleId)) return false;
    const line = s.comment.range.end.line;
    const nextLine = line + 1;
    switch (s.scope) {
      case 'file':
        return true;
      case 'line':
        return range.start.line === nextLine;
      case 'block':
        return subject.start.line === nextLine;
      case 'near':
        return (
          (s.comment.range.start.line >= subject.start.line && line <= subject.end.line) ||
          line === range.start.line || nextLine === range.start.line ||
          directlyAbove(line, subject.start.line, isCommentLine)
        );
    }
  });
}

/** Whether only comment lines stand between `line` and the block header at `header`. */
function directlyAbove(line: number, header: number, isCommentLine: (line: number) => boolean): boolean {
  if (line >= header) return false;
  for (let l = line + 1; l < header; l++) if (!isCommentLine(l)) return false;
  return true;
}

/** A suppression a format writes on a resource rather than in a comment (CloudFormation `Metadata`). */
export interface ResourceSuppression {
  /** Undefined = every rule. */
  rules: RuleId[] | undefined;
  source: string;
}

/** Resource address → the suppressions its Metadata declares. */
export type ResourceSuppressions = Map<string, ResourceSuppression[]>;
