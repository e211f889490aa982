/**
 * The engine's public vocabulary: positions, findings and fixes.
 *
 * Ranges are LSP-shaped (0-based line, UTF-16 character) so the server can hand them over
 * unchanged, but nothing here depends on the LSP packages: the engine is a pure library that
 * the language server and the CLI both call.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file. `uri` is a `file://` URI (or whatever the host used to name the document). */
export interface Location {
  uri: string;
  range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type RuleId =
  | 'CTK001' | 'CTK002' | 'CTK003' | 'CTK004' | 'CTK005'
  | 'CTK101' | 'CTK102' | 'CTK103' | 'CTK104' | 'CTK105' | 'CTK106' | 'CTK107'
  | 'CTK201' | 'CTK202'
  | 'CTK301' | 'CTK302' | 'CTK303' | 'CTK304'
  | 'CTK401';

/** One step of the chain a finding explains itself with (trail → alias → key → policy statement). */
export interface RelatedInformation {
  location: Location;
  message: string;
}

/** A text edit, kept as data until the LSP edge. Offsets are not used: ranges are stable across hosts. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  /** What the quick fix says in the light-bulb menu. */
  title: string;
  /** Edits per document URI. A fix may touch another file of the module (e.g. a variables file). */
  edits: { uri: string; edits: TextEdit[] }[];
  /** The fix that most users want; VS Code shows it first and runs it on "auto fix". */
  isPreferred?: boolean;
  /** Fix-all may apply it without a person looking (suppressions never are). */
  kind?: 'quickfix' | 'suppress';
}

export interface Finding {
  ruleId: RuleId;
  messageId: string;
  /** Placeholder values for the rule's message; tests assert on these, not on wording. */
  data: Record<string, string>;
  message: string;
  severity: Severity;
  uri: string;
  range: Range;
  /** Terraform address (`aws_cloudtrail.main`, `module.trail`) or CloudFormation logical id. */
  resource: string;
  relatedInformation: RelatedInformation[];
  fixes: Fix[];
  /** Set when a suppression comment or Metadata entry covers this finding; says which one. */
  suppressedBy?: string;
}

export const compareRanges = (a: Range, b: Range): number =>
  a.start.line - b.start.line || a.start.character - b.start.character ||
  a.end.line - b.end.line || a.end.character - b.end.character;

export const rangeContains = (outer: Range, inner: Range): boolean =>
  compareRanges({ start: outer.start, end: outer.start }, { start: inner.start, end: inner.start }) <= 0 &&
  compareRanges({ start: inner.end, end: inner.end }, { start: outer.end, end: outer.end }) <= 0;
