/**
 * `data "aws_iam_policy_document"` → the JSON policy it renders, as an evaluated `Value`
 * whose origins are the HCL that wrote each part: a statement is its `statement` block, an
 * action its list item, a condition operator its `test`, a condition key its `variable`.
 *
 * Follows the provider's rendering: `effect` defaults to Allow; `principals` blocks become a
 * map of type → identifiers (type `*` with `*` is `"Principal": "*"`); `condition` blocks are
 * grouped by test; `source_policy_documents` come first, statements with the same `sid` are
 * replaced by this document's and then by `override_policy_documents`. `dynamic` blocks are
 * unknown statements: what they add cannot be seen.
 */
import type { Location } from '../../types';
import type { Block, Expr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import type { ObjectValue, ResourceRef, Value } from '../../model/values';
import { withJsonNestedBlocks } from './jsonNestedBlocks';

type ResolveDocument = (expr: Expr) => Value;

/** The document's nested blocks, which Terraform JSON writes as objects (or arrays of them). */
const DOCUMENT_BLOCKS: ReadonlySet<string> = new Set(['statement', 'principals', 'not_principals', 'condition']);

export function buildPolicyDocument(document: ResourceRef, evaluator: TerraformEvaluator, resolve: ResolveDocument): Value {
  const uri = document.uri;
  const json = evaluator.module.files.find((f) => f.uri === uri)?.format === 'terraform-json';
  const block = json ? withJsonNestedBlocks(document.block, DOCUMENT_BLOCKS) : document.block;
  const at = (range: Block['range']): Location => ({ uri, range });
  const attribute = (owner: Block, name: string): Value | undefined => evaluator.evaluateAttribute(owner, name, uri);

  const own: Value[] = [];
  for (const child of block.blocks) {
    if (child.type === 'statement') own.push(statementValue(child));
    else if (child.type === 'dynamic' && child.labels[0] === 'statement') own.push(...dynamicStatement(child));
  }

  /**
   * A `dynamic "statement"` is read from its `content` block, present when `for_each` may be
   * non-empty; what depends on the iterator (`statement.value.…`) evaluates to unknown.
   */
  function dynamicStatement(dynamic: Block): Value[] {
    const content = dynamic.blocks.find((b) => b.type === 'content');
    const forEach = attribute(dynamic, 'for_each');
    if (!content) return [{ kind: 'unknown', cause: 'runtime', detail: 'statements of a dynamic block', origin: at(dynamic.headerRange) }];
    const statement = statementValue(content) as ObjectValue;
    if (!statement.entries.has('Principal') && !statement.entries.has('NotPrincipal')) {
      // Rendered without a principal, such a statement grants nothing (KMS would refuse it, if
      // the block ever produced one): judge it as naming nobody rather than as malformed.
      statement.entries.set('Principal', { kind: 'object', entries: new Map(), origin: at(content.headerRange) });
    }
    const empty = forEach && ((forEach.kind === 'list' && forEach.items.length === 0) || (forEach.kind === 'object' && forEach.entries.size === 0));
    if (empty) return [];
    if (forEach?.kind === 'list' || forEach?.kind === 'object') return [statement];
    const because = forEach?.kind === 'unknown' ? forEach : forEach?.kind === 'one-of' ? forEach.because : { kind: 'unknown' as const, cause: 'runtime' as const, detail: 'for_each of a dynamic block' };
    return [{ kind: 'one-of', options: [statement, { kind: 'novalue' }], because, origin: at(dynamic.range) }];
  }

  function statementValue(statement: Block): Value {
    const entries = new Map<string, Value>();
    const set = (name: string, value: Value | undefined): void => {
      if (value && value.kind !== 'null') entries.set(name, value);
    };
    set('Sid', attribute(statement, 'sid'));
    set('Effect', attribute(statement, 'effect') ?? { kind: 'string', value: 'Allow', origin: at(statement.headerRange) });
    set('Principal', principalsValue(statement, 'principals'));
    set('NotPrincipal', principalsValue(statement, 'not_principals'));
    set('Action', attribute(statement, 'actions'));
    set('NotAction', attribute(statement, 'not_actions'));
    set('Resource', attribute(statement, 'resources'));
    set('NotResource', attribute(statement, 'not_resources'));
    set('Condition', conditionsValue(statement));
    return { kind: 'object', entries, origin: at(statement.range) };
  }

  function principalsValue(statement: Block, type: string): Value | undefined {
    const blocks = statement.blocks.filter((b) => b.type === type);
    const dynamic = statement.blocks.find((b) => b.type === 'dynamic' && b.labels[0] === type);
    if (dynamic) return { kind: 'unknown', cause: 'runtime', detail: `${type} of a dynamic block`, origin: at(dynamic.headerRange) };
    if (blocks.length === 0) return undefined;
    const entries = new Map<string, Value>();
    const keyOrigins = new Map<string, Location>();
    for (const principals of blocks) {
      const kind = attribute(principals, 'type');
      const identifiers = attribute(principals, 'identifiers');
      if (kind?.kind !== 'string' || kind.partial || !identifiers) return { kind: 'unknown', cause: 'runtime', detail: `${type} computed at plan time`, origin: at(principals.range) };
      if (kind.value === '*' && isOnlyStar(identifiers)) return { kind: 'string', value: '*', origin: at(principals.range) };
      const previous = entries.get(kind.value);
      entries.set(kind.value, previous ? concatLists(previous, identifiers) : identifiers);
      if (kind.origin) keyOrigins.set(kind.value, kind.origin);
    }
    return { kind: 'object', entries, keyOrigins, origin: at(blocks[0].range) };
  }

  function conditionsValue(statement: Block): Value | undefined {
    const blocks = statement.blocks.filter((b) => b.type === 'condition');
    const dynamic = statement.blocks.find((b) => b.type === 'dynamic' && b.labels[0] === 'condition');
    if (dynamic) return { kind: 'unknown', cause: 'runtime', detail: 'conditions of a dynamic block', origin: at(dynamic.headerRange) };
    if (blocks.length === 0) return undefined;
    const operators = new Map<string, Value>();
    const operatorOrigins = new Map<string, Location>();
    for (const condition of blocks) {
      const test = attribute(condition, 'test');
      const variable = attribute(condition, 'variable');
      const values = attribute(condition, 'values') ?? { kind: 'list', items: [], origin: at(condition.range) };
      if (test?.kind !== 'string' || test.partial || variable?.kind !== 'string' || variable.partial) {
        return { kind: 'unknown', cause: 'runtime', detail: 'a condition computed at plan time', origin: at(condition.range) };
      }
      let keys = operators.get(test.value) as ObjectValue | undefined;
      if (!keys) {
        keys = { kind: 'object', entries: new Map(), keyOrigins: new Map(), origin: at(condition.range) };
        operators.set(test.value, keys);
        if (test.origin) operatorOrigins.set(test.value, test.origin);
      }
      const previous = keys.entries.get(variable.value);
      keys.entries.set(variable.value, previous ? concatLists(previous, values) : values);
      if (variable.origin) keys.keyOrigins?.set(variable.value, variable.origin);
    }
    return { kind: 'object', entries: operators, keyOrigins: operatorOrigins, origin: at(blocks[0].range) };
  }

  const statementsOf = (names: string[]): Value[] => {
    const items: Value[] = [];
    for (const name of names) {
      const written = findAttribute(block, name);
      if (!written) continue;
      const sources = written.value.kind === 'tuple' ? written.value.items : [written.value];
      for (const source of sources) items.push(...documentStatements(resolve(source), at(source.range)));
    }
    return items;
  };

  const merged = mergeBySid(mergeBySid(statementsOf(['source_policy_documents', 'source_json']), own), statementsOf(['override_policy_documents', 'override_json']));
  const entries = new Map<string, Value>();
  const version = attribute(block, 'version');
  const id = attribute(block, 'policy_id');
  entries.set('Version', version ?? { kind: 'string', value: '2012-10-17', origin: at(block.headerRange) });
  if (id) entries.set('Id', id);
  entries.set('Statement', { kind: 'list', items: merged, origin: at(block.range) });
  return { kind: 'object', entries, origin: at(block.range) };
}

/** The statements of another document; what cannot be seen is one unknown statement. */
function documentStatements(document: Value, origin: Location): Value[] {
  if (document.kind === 'object') {
    const statements = document.entries.get('Statement');
    if (statements?.kind === 'list') return statements.items;
    if (statements?.kind === 'object') return [statements];
  }
  if (document.kind === 'null') return [];
  return [{ kind: 'unknown', cause: 'runtime', detail: 'statements of a document computed at plan time', origin }];
}

/** `later` statements replace `earlier` ones with the same non-empty Sid; the rest are appended. */
function mergeBySid(earlier: Value[], later: Value[]): Value[] {
  const result = [...earlier];
  for (const statement of later) {
    const sid = sidOf(statement);
    const index = sid ? result.findIndex((s) => sidOf(s) === sid) : -1;
    if (index >= 0) result[index] = statement;
    else result.push(statement);
  }
  return result;
}

const sidOf = (statement: Value): string | undefined => {
  const sid = statement.kind === 'object' ? statement.entries.get('Sid') : undefined;
  return sid?.kind === 'string' && sid.value !== '' ? sid.value : undefined;
};

const isOnlyStar = (v: Value): boolean =>
  (v.kind === 'list' && v.items.length === 1 && v.items[0].kind === 'string' && v.items[0].value === '*') || (v.kind === 'string' && v.value === '*');

function concatLists(a: Value, b: Value): Value {
  const items = (v: Value): Value[] => (v.kind === 'list' ? v.items : [v]);
  return { kind: 'list', items: [...items(a), ...items(b)], origin: a.origin };
}
