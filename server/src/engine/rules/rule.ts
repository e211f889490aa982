/**
 * The shape of a rule, after ESLint's: `meta` says what it is, `check` reports findings on
 * the facts of one module or template.
 */
import type { Fix, Range, RelatedInformation, RuleId, Severity } from '../types';
import type { TrailFacts } from '../analysis/facts';
import type { KeyFacts } from '../analysis/keyFacts';
import type { EventDataStoreFacts } from '../analysis/eventDataStoreFacts';
import type { TopicFacts } from '../analysis/topicFacts';

export interface RuleMeta {
  id: RuleId;
  name: string;
  defaultSeverity: Severity;
  /** One line for the rule table, hover and SARIF. */
  description: string;
  fixable: boolean;
  /** Message templates by message id; `{name}` is replaced by `data.name`. */
  messages: Record<string, string>;
}

export interface Report {
  messageId: string;
  data?: Record<string, string>;
  uri: string;
  range: Range;
  resource: string;
  related?: RelatedInformation[];
  /**
   * Fixes, or a function that builds them: building a fix renders text, so rules pass a
   * function and the engine calls it only when someone asks for the finding's fixes.
   */
  fixes?: (Fix | undefined)[] | (() => (Fix | undefined)[]);
  /** The block the finding is about (same file), for suppressions written on or above it. */
  subject: Range;
  /** A weaker form of what the rule checks: reported one severity below the rule's setting. */
  weaker?: boolean;
  /** Another block holding the finding (a key's `aws_kms_key_policy`): a suppression on or above it counts too. */
  alsoSubject?: Range;
}

export interface RuleContext {
  trails: TrailFacts[];
  keys: KeyFacts[];
  eventDataStores: EventDataStoreFacts[];
  /** The trails' encrypted notification topics, and their keys (whose users are the trails, through the topic). */
  topics: TopicFacts[];
  topicKeys: KeyFacts[];
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

/**
 * Rule docs ship inside the extension and the npm package (`docs/rules/`), so links work
 * offline and always match the installed version; the host says where that folder is.
 */
export const docsUri = (docsBaseUri: string, id: RuleId): string => `${docsBaseUri.replace(/\/$/, '')}/${id}.md`;

/**
 * A message from its template: each `{name}` replaced by `data.name`, a name without data left
 * as written. Templates are few and findings many (every keystroke formats each finding of the
 * document again), so a template is cut once into its literal parts and names.
 */
export function formatMessage(template: string, data: Record<string, string>): string {
  let parts = templateParts.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    templateParts.set(template, parts);
  }
  let message = parts[0];
  for (let k = 1; k < parts.length; k += 2) message += (data[parts[k]] ?? `{${parts[k]}}`) + parts[k + 1];
  return message;
}

/** `formatMessage`'s cut templates: literal text at even indexes, names at odd ones. Bounded by the rules' own templates. */
const templateParts = new Map<string, string[]>();
