/**
 * CTK106 key-policy-invalid: a CloudTrail key's policy that KMS rejects
 * (`MalformedPolicyDocumentException` at apply time) or that silently means less than it says
 * (an unknown action grants nothing). The problems come from `parsePolicy`, located on the
 * value at fault in whatever syntax it is written.
 */
import { policyProblemMessages } from '../policy';
import type { Rule } from './rule';
import type { Location } from '../types';
import type { Value } from '../model/values';
import { analyzedKeys, headline, reportOnKey } from './keyPolicySupport';

export const rule: Rule = {
  meta: {
    id: 'CTK106',
    name: 'key-policy-invalid',
    defaultSeverity: 'error',
    description: 'The key policy of a CloudTrail key must be well-formed: real actions, Allow/Deny, a Principal, the right types.',
    fixable: true,
    messages: { ...policyProblemMessages },
  },
  check(context) {
    for (const { key, policy } of analyzedKeys(context.keys)) {
      for (const problem of policy.problems) {
        // "The statement has no Principal" is about the whole statement: shown on its Sid line.
        const owner = problem.statementIndex === undefined ? undefined : statementAt(policy.document, problem.statementIndex);
        const wholeStatement = owner?.origin && problem.origin && sameLocation(owner.origin, problem.origin);
        reportOnKey(context, key, (wholeStatement && owner && headline(owner)) || problem.origin, {
          messageId: problem.messageId,
          data: problem.data,
          fixes: () => [key.fixes.correct(problem), key.fixes.suppress('CTK106')],
        });
      }
    }
  },
};

function statementAt(document: Value, index: number): Value | undefined {
  const statements = document.kind === 'object' ? document.entries.get('Statement') : undefined;
  if (statements?.kind === 'list') return statements.items[index];
  return index === 0 ? statements : undefined;
}

const sameLocation = (a: Location, b: Location): boolean =>
  a.uri === b.uri && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character &&
  a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
