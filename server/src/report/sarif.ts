/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it ("SARIF support for code
 * scanning", docs.github.com): one run; the rule catalogue with the rule's doc as
 * `help.markdown`, a `security-severity` GitHub ranks alerts by, `security` tags and a
 * precision; results with stable `partialFingerprints` (alerts are matched across uploads by
 * them, not by line), physical locations relative to the repository root through
 * `%SRCROOT%`, related locations along the trail → key chain, and suppressed findings kept
 * with an `inSource` suppression. Files that could not be checked are tool notifications, and
 * the invocation is then not successful.
 */
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { RULES, type Severity } from '../engine';
import type { Range } from '../engine';
import type { ScanResult } from './types';
import { uriToPath } from '../diskHost';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const PROBLEM_SEVERITY: Record<Severity, 'error' | 'warning' | 'recommendation'> = { error: 'error', warning: 'warning', information: 'recommendation', hint: 'recommendation' };

/**
 * GitHub's scale (0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical), per rule: what is lost
 * when the finding is true. A trail whose key CloudTrail cannot use stops delivering logs
 * (CTK101, CTK003); a decrypt open to anyone exposes them (CTK105); logs without a CMK are
 * readable by whoever can read the bucket (CTK001). Rules not listed take their severity's value.
 */
const SECURITY_SEVERITY: Record<string, number> = {
  CTK001: 6.5, CTK002: 3.0, CTK003: 7.5,
  // The trail cannot be created or updated with a key of another Region: no log file is delivered.
  CTK005: 7.5,
  CTK101: 7.5, CTK102: 5.0, CTK103: 5.5, CTK104: 4.0, CTK105: 7.5, CTK106: 7.0, CTK107: 7.5,
  CTK201: 3.0, CTK202: 4.0,
  // Notifications to an encrypted topic fail; the log files themselves are still delivered.
  CTK401: 4.0,
};
const BY_SEVERITY: Record<Severity, number> = { error: 7.0, warning: 5.0, information: 3.0, hint: 1.0 };

/** The key under `partialFingerprints`: versioned, so a change of the hash never matches old alerts wrongly. */
export const FINGERPRINT_KEY = 'cloudtrailKmsLint/v1';

export interface SarifOptions {
  toolVersion: string;
  /** A public base URL of the rule docs (`…/docs/rules`); without one, no `helpUri` is written. */
  docsBaseUrl?: string;
  readRuleDoc: (id: string) => string | undefined;
  /** Artifact URIs are relative to this folder (the repository root). */
  sarifRoot: string;
}

const region = (range: Range) => ({
  startLine: range.start.line + 1,
  startColumn: range.start.character + 1,
  endLine: range.end.line + 1,
  endColumn: range.end.character + 1,
});

export function formatSarif(result: ScanResult, options: SarifOptions): string {
  const rules = RULES.map((rule) => ({
    id: rule.meta.id,
    name: rule.meta.name,
    shortDescription: { text: rule.meta.description },
    fullDescription: { text: rule.meta.description },
    ...(options.docsBaseUrl ? { helpUri: `${options.docsBaseUrl.replace(/\/+$/, '')}/${rule.meta.id}.md` } : {}),
    help: { text: rule.meta.description, markdown: options.readRuleDoc(rule.meta.id) ?? rule.meta.description },
    defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] },
    properties: {
      tags: ['security', 'cloudtrail', 'kms', 'terraform', 'cloudformation'],
      precision: 'high',
      'problem.severity': PROBLEM_SEVERITY[rule.meta.defaultSeverity],
      'security-severity': (SECURITY_SEVERITY[rule.meta.id] ?? BY_SEVERITY[rule.meta.defaultSeverity]).toFixed(1),
    },
  }));
  const root = path.resolve(options.sarifRoot);
  const artifact = (uri: string): { uri: string; uriBaseId?: string } => {
    const filePath = uriToPath(uri);
    if (!filePath) return { uri };
    const relative = path.relative(root, filePath);
    // A file outside the repository keeps its absolute URI rather than a `../` path GitHub cannot place.
    if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(filePath).href };
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  };
  const results = result.findings.map(({ finding, fingerprint }) => ({
    ruleId: finding.ruleId,
    ruleIndex: RULES.findIndex((r) => r.meta.id === finding.ruleId),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{
      physicalLocation: { artifactLocation: artifact(finding.uri), region: region(finding.range) },
      logicalLocations: [{ fullyQualifiedName: finding.resource, kind: 'resource' }],
    }],
    relatedLocations: finding.relatedInformation.slice(0, 100).map((r, id) => ({
      id,
      message: { text: r.message },
      physicalLocation: { artifactLocation: artifact(r.location.uri), region: region(r.location.range) },
    })),
    ...(fingerprint ? { partialFingerprints: { [FINGERPRINT_KEY]: fingerprint } } : {}),
    ...(finding.suppressedBy ? { suppressions: [{ kind: 'inSource', justification: `suppressed by ${finding.suppressedBy}` }] } : {}),
  }));
  const unchecked = result.unchecked ?? [];
  const rootUri = pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href;
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cloudtrail-kms-lint', version: options.toolVersion, semanticVersion: options.toolVersion, informationUri: options.docsBaseUrl?.replace(/\/docs\/rules\/?$/, ''), rules } },
      invocations: [{
        executionSuccessful: unchecked.length === 0,
        toolExecutionNotifications: unchecked.map(({ file, reason }) => ({
          level: 'error',
          message: { text: `${file} could not be checked: ${reason}` },
          locations: [{ physicalLocation: { artifactLocation: artifact(pathToFileURL(path.resolve(result.root, file)).href) } }],
        })),
      }],
      originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
      results,
      columnKind: 'utf16CodeUnits',
    }],
  }, null, 2);
}
