/**
 * `parsePolicy`: an evaluated policy document (`Value`) → statements rules can reason about,
 * plus the CTK106 problems found on the way.
 *
 * It never throws and never drops what it cannot read: an unknown Statement list sets
 * `hasUnknownStatements`; both branches of an undecidable conditional are kept as
 * `conditional` statements; CloudFormation's `AWS::NoValue` and `null` are absent.
 */
import type { ObjectValue, Value } from '../model/values';
import { closestWord, checkActionName } from './kmsActions';
import { CONDITION_OPERATOR_NAMES, parseConditionOperator } from './conditions';
import { ProblemSink } from './policyProblems';
import { describeValueKind, isAbsent, isUnknowable, readElements, readScalarString, readStrings, unknownText } from './policyValues';
import type { ElementEntry } from './policyValues';
import type { Condition, Effect, ParsedPolicy, PolicyElement, PrincipalItem, Statement } from './types';

export interface ParsePolicyOptions {
  /**
   * The document is a KMS key policy (the default): every statement needs a Principal and a
   * Resource. Pass `false` for identity policies.
   */
  keyPolicy?: boolean;
}

const POLICY_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'];

export function parsePolicy(doc: Value, options: ParsePolicyOptions = {}): ParsedPolicy {
  const keyPolicy = options.keyPolicy ?? true;
  const sink = new ProblemSink();
  const policy: ParsedPolicy = { statements: [], problems: sink.problems, hasUnknownStatements: false, document: doc };
  if (doc.origin) policy.origin = doc.origin;

  const readDocument = (value: Value, conditional: boolean): void => {
    if (value.kind === 'object') readPolicyObject(value, conditional);
    else if (value.kind === 'one-of') value.options.forEach((option) => readDocument(option, true));
    else if (isUnknowable(value)) policy.hasUnknownStatements = true;
    else if (!isAbsent(value)) sink.report('invalidDocumentType', value.origin, { found: describeValueKind(value) });
  };

  const readPolicyObject = (object: ObjectValue, conditional: boolean): void => {
    sink.statementIndex = undefined;
    const elements = readElements(object, POLICY_ELEMENTS, sink, 'unknownPolicyElement');
    const version = elements.get('Version');
    if (version && !isAbsent(version.value)) {
      const text = readScalarString(version.value);
      if (version.value.kind === 'string' && policy.version === undefined) {
        policy.version = { value: version.value.value, partial: !!version.value.partial, origin: version.value.origin };
      }
      if ((text !== undefined && !POLICY_VERSIONS.includes(text)) || ['number', 'bool', 'list', 'object'].includes(version.value.kind)) {
        sink.report('invalidVersion', version.value.origin, { version: text ?? describeValueKind(version.value) }, '2012-10-17');
      }
    }
    const statementList = elements.get('Statement');
    if (!statementList) {
      sink.report('missingStatement', object.origin);
      return;
    }
    if (statementList.value.origin && !policy.statementListOrigin) policy.statementListOrigin = statementList.value.origin;
    readStatementList(statementList.value, conditional);
  };

  const readStatementList = (value: Value, conditional: boolean): void => {
    if (value.kind === 'list') value.items.forEach((item, index) => readStatementItem(item, index, conditional));
    else readStatementItem(value, 0, conditional);
  };

  const readStatementItem = (value: Value, index: number, conditional: boolean): void => {
    if (value.kind === 'object') readStatement(value, index, conditional);
    else if (value.kind === 'one-of') {
      for (const option of value.options) {
        if (option.kind === 'list') option.items.forEach((item) => readStatementItem(item, index, true));
        else readStatementItem(option, index, true);
      }
    } else if (isUnknowable(value)) policy.hasUnknownStatements = true;
    else if (!isAbsent(value)) {
      sink.statementIndex = undefined;
      sink.report('invalidStatementType', value.origin, { found: describeValueKind(value) });
    }
  };

  const readStatement = (object: ObjectValue, index: number, conditional: boolean): void => {
    sink.statementIndex = index;
    const elements = readElements(object, STATEMENT_ELEMENTS, sink, 'unknownStatementElement');
    const effect = readEffect(elements.get('Effect'), object);
    const statement: Statement = { index, effect: effect.effect ?? 'Allow', conditions: [], conditional, source: object };
    if (effect.unknown) statement.effectUnknown = true;
    if (object.origin) statement.origin = object.origin;
    const sid = elements.get('Sid');
    if (sid && sid.value.kind === 'string') statement.sid = sid.value.value;

    const principal = readPrincipal(elements.get('Principal'));
    const notPrincipal = readPrincipal(elements.get('NotPrincipal'));
    if (principal) statement.principal = principal;
    if (notPrincipal) statement.notPrincipal = notPrincipal;
    if (principal && notPrincipal) sink.report('principalAndNotPrincipal', elements.get('NotPrincipal')?.keyOrigin);
    if (!principal && !notPrincipal && keyPolicy) sink.report('missingPrincipal', object.origin);

    const actions = readActions(elements.get('Action'), 'Action');
    const notActions = readActions(elements.get('NotAction'), 'NotAction');
    if (actions) statement.actions = actions;
    if (notActions) statement.notActions = notActions;
    if (actions && notActions) sink.report('actionAndNotAction', elements.get('NotAction')?.keyOrigin);
    if (!actions && !notActions) sink.report('missingAction', object.origin);

    const resources = readResources(elements.get('Resource'), 'Resource');
    const notResources = readResources(elements.get('NotResource'), 'NotResource');
    if (resources) statement.resources = resources;
    if (notResources) statement.notResources = notResources;
    if (!resources && !notResources && keyPolicy) sink.report('missingResource', object.origin);

    const condition = elements.get('Condition');
    if (condition && !isAbsent(condition.value)) {
      if (condition.value.origin) statement.conditionOrigin = condition.value.origin;
      statement.conditions = readConditions(condition.value, false);
    }
    // A statement with a missing or invalid Effect makes KMS reject the policy: it grants nothing.
    if (effect.effect !== undefined || effect.unknown) policy.statements.push(statement);
  };

  const readEffect = (entry: ElementEntry | undefined, statement: ObjectValue): { effect?: Effect; unknown?: boolean } => {
    if (!entry || isAbsent(entry.value)) {
      sink.report('missingEffect', statement.origin);
      return {};
    }
    const read = (value: Value): { effect?: Effect; unknown?: boolean } => {
      if (value.kind === 'string' && !value.partial) {
        if (value.value === 'Allow' || value.value === 'Deny') return { effect: value.value };
        const meant = value.value.toLowerCase() === 'allow' ? 'Allow' : value.value.toLowerCase() === 'deny' ? 'Deny' : closestWord(value.value, ['Allow', 'Deny'], 1);
        sink.report('invalidEffect', value.origin, { effect: value.value }, meant);
        return {};
      }
      if (value.kind === 'one-of') {
        const options = value.options.map(read);
        const first = options[0]?.effect;
        return options.every((o) => o.effect === first && first !== undefined) ? { effect: first } : { unknown: true };
      }
      if (value.kind === 'string' || isUnknowable(value)) return { unknown: true };
      sink.report('invalidEffect', value.origin, { effect: describeValueKind(value) });
      return {};
    };
    return read(entry.value);
  };

  const readPrincipal = (entry: ElementEntry | undefined): PolicyElement<PrincipalItem> | undefined => {
    if (!entry || isAbsent(entry.value)) return undefined;
    const items: PrincipalItem[] = [];
    const read = (value: Value, conditional: boolean): void => {
      const mark = (item: PrincipalItem): PrincipalItem => (conditional ? { ...item, conditional: true } : item);
      if (value.kind === 'string' && value.value === '*' && !value.partial) {
        items.push(mark({ type: '*', value: '*', partial: false, origin: value.origin }));
      } else if (isUnknowable(value)) {
        items.push(mark({ type: 'unknown', value: unknownText(value), partial: true, unknown: true, origin: value.origin }));
      } else if (value.kind === 'string' && /^\$\{[^}]*\}$/.test(value.value)) {
        // A template placeholder for the whole Principal (`"Principal": "${principal}"`).
        items.push(mark({ type: 'unknown', value: value.value, partial: true, unknown: true, origin: value.origin }));
      } else if (value.kind === 'one-of') {
        value.options.forEach((option) => read(option, true));
      } else if (value.kind === 'object') {
        for (const [written, typeValue] of value.entries) {
          const keyOrigin = value.keyOrigins?.get(written) ?? typeValue.origin;
          let type: string = written;
          if (!(PRINCIPAL_TYPES as readonly string[]).includes(written)) {
            const meant = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === written.toLowerCase()) ?? closestWord(written, PRINCIPAL_TYPES, 2);
            sink.report('unknownPrincipalType', keyOrigin, { type: written }, meant);
            if (meant) type = meant;
          }
          const { items: strings, wrongTypes } = readStrings(typeValue, { scalars: type === 'AWS' });
          for (const wrong of wrongTypes) sink.report('invalidPrincipalValue', wrong.origin, { type, found: wrong.found });
          for (const s of strings) items.push(mark({ ...s, type }));
        }
      } else if (value.kind === 'string' || value.kind === 'list') {
        // Only "*" may stand alone; read the rest as AWS principals, which is what was meant.
        sink.report('invalidPrincipalForm', value.origin, { found: value.kind === 'list' ? 'a list' : JSON.stringify(value.value) });
        const { items: strings } = readStrings(value, { scalars: true });
        for (const s of strings) items.push(mark({ ...s, type: s.value === '*' ? '*' : 'AWS' }));
      } else if (!isAbsent(value)) {
        sink.report('invalidPrincipalForm', value.origin, { found: describeValueKind(value) });
      }
    };
    read(entry.value, false);
    const element: PolicyElement<PrincipalItem> = { items };
    if (entry.value.origin) element.origin = entry.value.origin;
    return element;
  };

  const readActions = (entry: ElementEntry | undefined, element: string): PolicyElement | undefined => {
    if (!entry || isAbsent(entry.value)) return undefined;
    const { items, wrongTypes } = readStrings(entry.value, { scalars: false });
    for (const wrong of wrongTypes) sink.report('invalidActionType', wrong.origin, { element, found: wrong.found });
    for (const item of items) {
      if (item.unknown || item.partial) continue;
      const check = checkActionName(item.value);
      if (!check.ok) sink.report(check.messageId, item.origin ?? entry.value.origin, { action: item.value }, check.suggestion);
    }
    return entry.value.origin ? { items, origin: entry.value.origin } : { items };
  };

  const readResources = (entry: ElementEntry | undefined, element: string): PolicyElement | undefined => {
    if (!entry || isAbsent(entry.value)) return undefined;
    const { items, wrongTypes } = readStrings(entry.value, { scalars: false });
    for (const wrong of wrongTypes) sink.report('invalidResourceType', wrong.origin, { element, found: wrong.found });
    return entry.value.origin ? { items, origin: entry.value.origin } : { items };
  };

  const readConditions = (value: Value, conditional: boolean): Condition[] => {
    const mark = (c: Condition): Condition => (conditional ? { ...c, conditional: true } : c);
    if (isUnknowable(value)) return [mark({ operator: '', key: '', values: [], unknown: true, origin: value.origin })];
    if (value.kind === 'one-of') return value.options.flatMap((option) => readConditions(option, true));
    if (value.kind !== 'object') {
      if (!isAbsent(value)) sink.report('invalidConditionType', value.origin, { found: describeValueKind(value) });
      return [];
    }
    const conditions: Condition[] = [];
    for (const [operator, block] of value.entries) {
      const operatorOrigin = value.keyOrigins?.get(operator) ?? block.origin;
      if (!parseConditionOperator(operator)) {
        sink.report('unknownConditionOperator', operatorOrigin, { operator }, closestWord(operator, CONDITION_OPERATOR_NAMES));
        conditions.push(mark({ operator, key: '', values: [], invalidOperator: true, operatorOrigin, origin: block.origin }));
        continue;
      }
      conditions.push(...readConditionBlock(operator, operatorOrigin, block, conditional));
    }
    return conditions;
  };

  const readConditionBlock = (operator: string, operatorOrigin: Condition['operatorOrigin'], block: Value, conditional: boolean): Condition[] => {
    const mark = (c: Condition): Condition => (conditional ? { ...c, conditional: true } : c);
    if (isUnknowable(block)) return [mark({ operator, key: '', values: [], unknown: true, operatorOrigin, origin: block.origin })];
    if (block.kind === 'one-of') return block.options.flatMap((option) => readConditionBlock(operator, operatorOrigin, option, true));
    if (block.kind !== 'object') {
      if (!isAbsent(block)) sink.report('invalidConditionType', block.origin, { found: describeValueKind(block) });
      return [];
    }
    const conditions: Condition[] = [];
    for (const [key, values] of block.entries) {
      const { items, wrongTypes } = readStrings(values, { scalars: true });
      for (const wrong of wrongTypes) sink.report('invalidConditionValue', wrong.origin, { key, found: wrong.found });
      const condition: Condition = { operator, key, values: items, operatorOrigin, keyOrigin: block.keyOrigins?.get(key) ?? values.origin, origin: values.origin };
      conditions.push(mark(condition));
    }
    return conditions;
  };

  readDocument(doc, false);
  return policy;
}
