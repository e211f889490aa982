/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it: one run, the rule catalogue
 * with help text, results with physical locations relative to %SRCROOT%, related locations
 * along the trail → key chain, and suppressed findings kept with an `inSource` suppression.
 */
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { RULES, type Severity } from '../engine';
import type { Range } from '../engine';
import type { ScanResult } from './types';
import { uriToPath } from '../diskHost';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifOptions {
  toolVersion: string;
  /** Where each rule's documentation lives (the installed docs/rules folder). */
  docsBaseUri: string;
  readRuleDoc: (id: string) => string | undefined;
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
    helpUri: `${options.docsBaseUri}/${rule.meta.id}.md`,
    help: { text: rule.meta.description, markdown: options.readRuleDoc(rule.meta.id) ?? rule.meta.description },
    defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] },
    properties: { tags: ['security', 'cloudtrail', 'kms'] },
  }));
  const relativeTo = (uri: string): string => {
    const filePath = uriToPath(uri);
    return filePath ? path.relative(result.root, filePath).split(path.sep).join('/') : uri;
  };
  const results = result.findings.map(({ finding, file }) => ({
    ruleId: finding.ruleId,
    ruleIndex: RULES.findIndex((r) => r.meta.id === finding.ruleId),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{
      physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' }, region: region(finding.range) },
      logicalLocations: [{ fullyQualifiedName: finding.resource, kind: 'resource' }],
    }],
    relatedLocations: finding.relatedInformation.map((r, id) => ({
      id,
      message: { text: r.message },
      physicalLocation: { artifactLocation: { uri: relativeTo(r.location.uri), uriBaseId: '%SRCROOT%' }, region: region(r.location.range) },
    })),
    ...(finding.suppressedBy ? { suppressions: [{ kind: 'inSource', justification: `suppressed by ${finding.suppressedBy}` }] } : {}),
  }));
  const root = pathToFileURL(result.root.endsWith(path.sep) ? result.root : result.root + path.sep).href;
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cloudtrail-kms-lint', version: options.toolVersion, semanticVersion: options.toolVersion, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: root } },
      results,
      columnKind: 'utf16CodeUnits',
    }],
  }, null, 2);
}
