/**
 * Engine findings and fixes → LSP diagnostics and code actions. The only place that knows both.
 */
import {
  CodeAction, CodeActionKind, DiagnosticSeverity, DiagnosticTag,
  type Diagnostic, type OptionalVersionedTextDocumentIdentifier, type Position, type Range, type TextDocumentEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import { docsUri, type Finding, type Fix, type Severity } from '../engine';
import type { FindingData } from '../scan/protocol';

export const DIAGNOSTIC_SOURCE = 'cloudtrail-kms-lint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: FindingData, docsBaseUri: string): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUri(docsBaseUri, finding.ruleId) },
    message: finding.message,
    relatedInformation: finding.relatedInformation.map((r) => ({ location: r.location, message: r.message })),
    tags: finding.ruleId === 'CTK001' && finding.messageId === 'misspelled' ? [DiagnosticTag.Unnecessary] : undefined,
    data: { ruleId: finding.ruleId, messageId: finding.messageId },
  };
}

/**
 * VS Code's hover on a squiggle lists each diagnostic under the cursor with its related
 * information, and so does its Problems panel, one below the other: three findings on one key
 * policy that all point back at the trail using it showed the same "aws_cloudtrail.main encrypts
 * its logs with aws_kms_key.logs" line three times before the hover's checklist. A related
 * location (place and text) already given by an earlier diagnostic whose range overlaps is left
 * out of the later ones; each finding keeps its own message. Order and count are unchanged.
 */
export function withoutRepeatedRelated(diagnostics: Diagnostic[]): Diagnostic[] {
  // Diagnostics come in order of their start (the engine sorts findings): then an earlier range
  // overlaps a later one exactly when it ends at or after the later one's start, and the latest
  // end given for a location is all that needs keeping. Many findings can share one related
  // location (a parameter default behind every trail of a template), and comparing each with all
  // the earlier ones grew with the square of their number.
  const inOrder = diagnostics.every((d, k) => k === 0 || before(diagnostics[k - 1].range.start, d.range.start));
  const given = new Map<string, { ranges: Range[]; end: Position }>();
  return diagnostics.map((diagnostic) => {
    const related = diagnostic.relatedInformation;
    if (!related || related.length === 0) return diagnostic;
    const kept = related.filter((r) => {
      const key = `${r.location.uri}#${r.location.range.start.line}:${r.location.range.start.character}#${r.message}`;
      const earlier = given.get(key);
      const repeated = earlier !== undefined && (inOrder ? before(diagnostic.range.start, earlier.end) : earlier.ranges.some((range) => overlaps(range, diagnostic.range)));
      if (repeated) return false;
      if (!earlier) given.set(key, { ranges: [diagnostic.range], end: diagnostic.range.end });
      else {
        earlier.ranges.push(diagnostic.range);
        if (before(earlier.end, diagnostic.range.end)) earlier.end = diagnostic.range.end;
      }
      return true;
    });
    return kept.length === related.length ? diagnostic : { ...diagnostic, relatedInformation: kept };
  });
}

const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
const overlaps = (a: Range, b: Range): boolean => before(a.start, b.end) && before(b.start, a.end);

/** The one note on a document the engine could not read within its budget: nothing in it was judged. */
export function notCheckedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `This file was not checked: ${reason}. Nothing in it is reported until it is.`,
  };
}

/** The one note on a document the engine leaves out on purpose (OpenTofu reads another file instead). */
export function ignoredDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `${reason}.`,
  };
}

/** Whether an incoming diagnostic (echoed back by the client) is the one a finding produced. */
export function sameDiagnostic(diagnostic: Diagnostic, finding: Finding): boolean {
  return diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === finding.ruleId &&
    diagnostic.range.start.line === finding.range.start.line && diagnostic.range.start.character === finding.range.start.character &&
    diagnostic.range.end.line === finding.range.end.line && diagnostic.range.end.character === finding.range.end.character;
}

/**
 * A fix as a code action. Edits to the document the request came from carry its version, so
 * a client applies them only to the text they were computed for (vscode-eslint does the same).
 */
export function toCodeAction(fix: Fix, diagnostic: Diagnostic | undefined, versions: (uri: string) => number | null): CodeAction {
  const documentChanges: TextDocumentEdit[] = fix.edits.map(({ uri, edits }) => ({
    textDocument: { uri, version: versions(uri) } satisfies OptionalVersionedTextDocumentIdentifier,
    edits,
  }));
  const edit: WorkspaceEdit = { documentChanges };
  const action = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
  if (diagnostic) action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}
