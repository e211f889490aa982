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
  'avd-aws-0065': ['CTK201'],
  // cfn-guard
  cloud_trail_encryption_enabled: ['CTK001', 'CTK003'],
  cloud_trail_log_file_validation_enabled: ['CTK202'],
  cmk_backing_key_rotation_enabled: ['CTK201'],
};

export interface Suppression {
  /** Rules it silences; undefined = all of ours. */
  rules: RuleId[] | undefined;
  /** `line`: only findings starting on the next line; `block`: the block starting on the next line. */
  scope: 'near' | 'line' | 'block';
  comment: Comment;
  /** Said in the CLI's report: which syntax silenced the finding. */
  source: string;
}

const OWN = /cloudtrail-kms-lint:ignore(?:[ \t]+((?:CTK\d{3}[ \t,]*)+))?/i;
const CHECKOV = /checkov:skip=([A-Za-z0-9_]+)/i;
const TFSEC = /\b(tfsec|trivy):ignore:([A-Za-z0-9_-]+)/i;
const KICS = /kics-scan[ \t]+(ignore-line|ignore-block)/i;

export function parseSuppression(comment: Comment): Suppression | undefined {
  const own = OWN.exec(comment.text);
  if (own) {
    const ids = own[1]?.match(/CTK\d{3}/gi)?.map((id) => id.toUpperCase() as RuleId);
    return { rules: ids, scope: 'near', comment, source: 'cloudtrail-kms-lint:ignore' };
  }
  const checkov = CHECKOV.exec(comment.text);
  if (checkov) return peer(checkov[1], comment, `checkov:skip=${checkov[1]}`);
  const tfsec = TFSEC.exec(comment.text);
  if (tfsec) return peer(tfsec[2], comment, `${tfsec[1]}:ignore:${tfsec[2]}`);
  const kics = KICS.exec(comment.text);
  if (kics) return { rules: undefined, scope: kics[1].toLowerCase() === 'ignore-line' ? 'line' : 'block', comment, source: `kics-scan ${kics[1]}` };
  return undefined;
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
