import * as assert from 'node:assert/strict';
import { formatPolicyProblem, parsePolicy } from '../../../server/src/engine/policy';
import { closestWord, suggestKmsActionName } from '../../../server/src/engine/policy/kmsActions';
import type { ParsedPolicy, PolicyProblem } from '../../../server/src/engine/policy';
import { jsonToValue, pointerOf } from './jsonToValue';
import type { Json } from './jsonToValue';

const parse = (json: Json): ParsedPolicy => parsePolicy(jsonToValue(json));

/** A one-statement key policy; `statement` overrides or removes (`undefined`) the defaults. */
const withStatement = (statement: Record<string, Json | undefined>): Json => {
  const full: Record<string, Json> = {};
  const defaults: Record<string, Json> = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
  for (const [key, value] of Object.entries({ ...defaults, ...statement })) if (value !== undefined) full[key] = value;
  return { Version: '2012-10-17', Statement: [full] };
};

const problemSummary = (problems: PolicyProblem[]) =>
  problems.map((p) => ({ messageId: p.messageId, data: p.data, at: pointerOf(p.origin), suggestion: p.suggestion }));

describe('parsePolicy', () => {
  describe('principals', () => {
    it('reads "*" as everybody', () => {
      const [s] = parse(withStatement({ Principal: '*' })).statements;
      assert.deepEqual(s.principal?.items.map((i) => [i.type, i.value]), [['*', '*']]);
    });

    it('reads a map of strings and lists, keeping each identifier\'s origin', () => {
      const policy = parse(withStatement({
        Principal: { AWS: ['arn:aws:iam::111122223333:root', '444455556666'], Service: 'cloudtrail.amazonaws.com' },
      }));
      assert.deepEqual(policy.problems, []);
      assert.deepEqual(policy.statements[0].principal?.items.map((i) => [i.type, i.value, pointerOf(i.origin)]), [
        ['AWS', 'arn:aws:iam::111122223333:root', '/Statement/0/Principal/AWS/0'],
        ['AWS', '444455556666', '/Statement/0/Principal/AWS/1'],
        ['Service', 'cloudtrail.amazonaws.com', '/Statement/0/Principal/Service'],
      ]);
      assert.equal(pointerOf(policy.statements[0].principal?.origin), '/Statement/0/Principal');
    });

    it('accepts Federated and CanonicalUser, and NotPrincipal', () => {
      const policy = parse(withStatement({
        Effect: 'Deny', Principal: undefined,
        NotPrincipal: { Federated: 'cognito-identity.amazonaws.com', CanonicalUser: '79a59df900b949e55d96a1e698fbace' },
      }));
      assert.deepEqual(policy.problems, []);
      assert.deepEqual(policy.statements[0].notPrincipal?.items.map((i) => i.type), ['Federated', 'CanonicalUser']);
    });

    it('reports a bare ARN as Principal and reads it as an AWS principal', () => {
      const policy = parse(withStatement({ Principal: 'arn:aws:iam::111122223333:root' }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'invalidPrincipalForm', data: { found: '"arn:aws:iam::111122223333:root"' }, at: '/Statement/0/Principal', suggestion: undefined },
      ]);
      assert.equal(policy.statements[0].principal?.items[0].type, 'AWS');
    });

    it('reports a misspelled principal type, suggests the right one and reads it as meant', () => {
      const policy = parse(withStatement({ Principal: { Services: 'cloudtrail.amazonaws.com' } }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'unknownPrincipalType', data: { type: 'Services' }, at: '/Statement/0/Principal/Services@key', suggestion: 'Service' },
      ]);
      assert.equal(policy.statements[0].principal?.items[0].type, 'Service');
    });

    it('reports a missing Principal in a key policy, at the statement', () => {
      const policy = parse(withStatement({ Principal: undefined }));
      assert.deepEqual(problemSummary(policy.problems), [{ messageId: 'missingPrincipal', data: {}, at: '/Statement/0', suggestion: undefined }]);
      assert.deepEqual(parsePolicy(jsonToValue(withStatement({ Principal: undefined })), { keyPolicy: false }).problems, []);
    });
  });

  describe('actions', () => {
    it('reads Action as a string or a list', () => {
      assert.deepEqual(parse(withStatement({ Action: 'kms:Decrypt' })).statements[0].actions?.items.map((a) => a.value), ['kms:Decrypt']);
      const listed = parse(withStatement({ Action: ['kms:Encrypt', 'kms:ReEncrypt*'] })).statements[0].actions;
      assert.deepEqual(listed?.items.map((a) => [a.value, pointerOf(a.origin)]), [
        ['kms:Encrypt', '/Statement/0/Action/0'], ['kms:ReEncrypt*', '/Statement/0/Action/1'],
      ]);
    });

    it('reads NotAction', () => {
      const [s] = parse(withStatement({ Action: undefined, NotAction: 'kms:ScheduleKeyDeletion' })).statements;
      assert.equal(s.actions, undefined);
      assert.deepEqual(s.notActions?.items.map((a) => a.value), ['kms:ScheduleKeyDeletion']);
    });

    it('reports kms=GenerateDataKey* and suggests kms:GenerateDataKey*', () => {
      const policy = parse(withStatement({ Action: ['kms:Decrypt', 'kms=GenerateDataKey*'] }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'malformedAction', data: { action: 'kms=GenerateDataKey*' }, at: '/Statement/0/Action/1', suggestion: 'kms:GenerateDataKey*' },
      ]);
      assert.equal(policy.problems[0].statementIndex, 0);
    });

    it('repairs an action split by a long run of spaces, and reads one that cannot be repaired, without backtracking over the run', () => {
      // 20,000 spaces: a pattern with adjacent whitespace quantifiers would not finish within the test's timeout.
      const run = ' '.repeat(20000);
      const policy = parse(withStatement({ Action: [`kms${run}:${run}Decrypt`, `km${run}s:*`] }));
      assert.deepEqual(problemSummary(policy.problems).map((p) => [p.messageId, p.at, p.suggestion]), [
        ['malformedAction', '/Statement/0/Action/0', 'kms:Decrypt'],
        ['malformedAction', '/Statement/0/Action/1', undefined],
      ]);
    });

    it('reports unknown kms: actions with the closest one', () => {
      const policy = parse(withStatement({ Action: ['kms:GenerateDataKeys', 'kms:Genrate*', 'kms:Frobnicate'] }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'unknownAction', data: { action: 'kms:GenerateDataKeys' }, at: '/Statement/0/Action/0', suggestion: 'kms:GenerateDataKey' },
        { messageId: 'actionMatchesNothing', data: { action: 'kms:Genrate*' }, at: '/Statement/0/Action/1', suggestion: 'kms:Generate*' },
        { messageId: 'unknownAction', data: { action: 'kms:Frobnicate' }, at: '/Statement/0/Action/2', suggestion: undefined },
      ]);
    });

    it('does not flag case: action names are case-insensitive', () => {
      assert.deepEqual(parse(withStatement({ Action: ['kms:GenerateDatakey', 'KMS:decrypt', 'kms:describe*'] })).problems, []);
    });

    it('suggests the kms: prefix for a bare KMS action name and checks other services only for shape', () => {
      const policy = parse(withStatement({ Action: ['GenerateDataKey', 's3:GetObject', 's3 PutObject'] }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'malformedAction', data: { action: 'GenerateDataKey' }, at: '/Statement/0/Action/0', suggestion: 'kms:GenerateDataKey' },
        { messageId: 'malformedAction', data: { action: 's3 PutObject' }, at: '/Statement/0/Action/2', suggestion: 's3:PutObject' },
      ]);
    });

    it('reports an Action that is an object, and a statement with neither Action nor NotAction', () => {
      assert.deepEqual(problemSummary(parse(withStatement({ Action: { kms: 'Decrypt' } })).problems), [
        { messageId: 'invalidActionType', data: { element: 'Action', found: 'an object' }, at: '/Statement/0/Action', suggestion: undefined },
      ]);
      assert.deepEqual(problemSummary(parse(withStatement({ Action: undefined })).problems), [
        { messageId: 'missingAction', data: {}, at: '/Statement/0', suggestion: undefined },
      ]);
    });

    it('reads a misspelled element as meant, reporting only the misspelling', () => {
      const policy = parse(withStatement({ Action: undefined, Actions: 'kms:Decrypt' }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'unknownStatementElement', data: { element: 'Actions' }, at: '/Statement/0/Actions@key', suggestion: 'Action' },
      ]);
      assert.deepEqual(policy.statements[0].actions?.items.map((a) => a.value), ['kms:Decrypt']);
    });
  });

  describe('effect, statements and document', () => {
    it('reports an Effect other than Allow/Deny and leaves the statement out', () => {
      const policy = parse(withStatement({ Effect: 'Permit' }));
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'invalidEffect', data: { effect: 'Permit' }, at: '/Statement/0/Effect', suggestion: undefined },
      ]);
      assert.equal(policy.statements.length, 0);
    });

    it('reports a wrongly cased Effect with the right spelling', () => {
      const policy = parse(withStatement({ Effect: 'allow' }));
      assert.equal(policy.problems[0].messageId, 'invalidEffect');
      assert.equal(policy.problems[0].suggestion, 'Allow');
    });

    it('accepts a single statement object', () => {
      const policy = parse({ Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' } });
      assert.deepEqual(policy.problems, []);
      assert.equal(policy.statements[0].effect, 'Deny');
      assert.equal(pointerOf(policy.statementListOrigin), '/Statement');
    });

    it('reports a Statement that is neither a list nor an object, and a missing one', () => {
      assert.deepEqual(problemSummary(parse({ Version: '2012-10-17', Statement: 'everything' }).problems), [
        { messageId: 'invalidStatementType', data: { found: 'a string' }, at: '/Statement', suggestion: undefined },
      ]);
      assert.deepEqual(problemSummary(parse({ Version: '2012-10-17' }).problems), [
        { messageId: 'missingStatement', data: {}, at: '', suggestion: undefined },
      ]);
    });

    it('reports a bad Version, a missing Resource and an unknown condition operator', () => {
      const policy = parse({
        Version: '2012-10-18',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: { StringLikee: { 'kms:CallerAccount': '111122223333' } } }],
      });
      assert.deepEqual(problemSummary(policy.problems), [
        { messageId: 'invalidVersion', data: { version: '2012-10-18' }, at: '/Version', suggestion: '2012-10-17' },
        { messageId: 'missingResource', data: {}, at: '/Statement/0', suggestion: undefined },
        { messageId: 'unknownConditionOperator', data: { operator: 'StringLikee' }, at: '/Statement/0/Condition/StringLikee@key', suggestion: 'StringLike' },
      ]);
      assert.equal(policy.statements[0].conditions[0].invalidOperator, true);
    });
  });

  describe('conditions', () => {
    it('reads operator, key and values with their origins', () => {
      const [s] = parse(withStatement({
        Condition: {
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': ['arn:aws:cloudtrail:*:111122223333:trail/*'] },
          Bool: { 'aws:SecureTransport': true },
        },
      })).statements;
      assert.deepEqual(s.conditions.map((c) => [c.operator, c.key, c.values.map((v) => v.value), pointerOf(c.origin)]), [
        ['StringLike', 'kms:EncryptionContext:aws:cloudtrail:arn', ['arn:aws:cloudtrail:*:111122223333:trail/*'], '/Statement/0/Condition/StringLike/kms:EncryptionContext:aws:cloudtrail:arn'],
        ['Bool', 'aws:SecureTransport', ['true'], '/Statement/0/Condition/Bool/aws:SecureTransport'],
      ]);
      assert.equal(pointerOf(s.conditionOrigin), '/Statement/0/Condition');
    });

    it('keeps partial strings as written', () => {
      const [s] = parse(withStatement({ Condition: { StringEquals: { 'kms:CallerAccount': '${account_id}' } } })).statements;
      assert.deepEqual(s.conditions[0].values.map((v) => [v.value, v.partial]), [['${account_id}', true]]);
    });
  });

  describe('robustness', () => {
    it('never throws on odd shapes, and says what it found', () => {
      const odd: Json[] = [
        42, 'a policy', [], null, { Statement: [[{ Effect: 'Allow' }]] }, { Statement: [null, 7, { Effect: ['Allow'] }] },
        { Statement: [{ Effect: 'Allow', Principal: { AWS: [['nested']] }, Action: [7], Resource: {}, Condition: { StringEquals: 'x' } }] },
        { Statement: [{ Effect: 'Allow', Principal: 7, Action: '', Condition: { Null: { k: { deep: true } } } }] },
      ];
      for (const json of odd) {
        const policy = parse(json);
        for (const problem of policy.problems) assert.doesNotMatch(formatPolicyProblem(problem), /\{\w+\}/);
      }
      assert.deepEqual(parse(42).problems.map((p) => p.messageId), ['invalidDocumentType']);
    });

    it('keeps the statements of both branches when the whole document is conditional', () => {
      const allow = { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
      const policy = parse({ $oneOf: [{ Version: '2012-10-17', Statement: [allow] }, { $unknown: 'var.policy' }] });
      assert.equal(policy.statements.length, 1);
      assert.equal(policy.statements[0].conditional, true);
      assert.equal(policy.hasUnknownStatements, true);
    });
  });

  describe('values the evaluator could not decide', () => {
    it('marks an unknown Statement list as unseen statements', () => {
      const policy = parse({ Version: '2012-10-17', Statement: { $unknown: 'var.statements' } });
      assert.equal(policy.hasUnknownStatements, true);
      assert.deepEqual(policy.statements, []);
    });

    it('drops AWS::NoValue items and keeps conditional statements from both branches', () => {
      const policy = parse({
        Version: '2012-10-17',
        Statement: [
          { $noValue: true },
          { $oneOf: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }, { $noValue: true }] },
        ],
      });
      assert.deepEqual(policy.problems, []);
      assert.deepEqual(policy.statements.map((s) => [s.index, s.conditional]), [[1, true]]);
    });

    it('reads unknown actions and effects as unknown, not as errors', () => {
      const policy = parse(withStatement({ Effect: { $unknown: 'var.effect' }, Action: { $unknown: 'var.actions' } }));
      assert.deepEqual(policy.problems, []);
      const [s] = policy.statements;
      assert.equal(s.effectUnknown, true);
      assert.deepEqual(s.actions?.items.map((a) => [a.value, a.unknown]), [['${var.actions}', true]]);
    });

    it('reads a template placeholder standing for the whole Principal as unknown', () => {
      const policy = parse(withStatement({ Principal: '${principal}' }));
      assert.deepEqual(policy.problems, []);
      assert.deepEqual(policy.statements[0].principal?.items.map((i) => [i.type, i.unknown]), [['unknown', true]]);
    });

    it('reads both branches of a one-of principal as conditional items', () => {
      const [s] = parse(withStatement({ Principal: { Service: { $oneOf: ['cloudtrail.amazonaws.com', 'logs.amazonaws.com'] } } })).statements;
      assert.deepEqual(s.principal?.items.map((i) => [i.value, i.conditional]), [['cloudtrail.amazonaws.com', true], ['logs.amazonaws.com', true]]);
    });
  });
});

describe('suggestions for misspelled names', () => {
  it('still suggests the action meant by a near miss', () => {
    assert.equal(suggestKmsActionName('GenrateDataKey'), 'GenerateDataKey');
    assert.equal(suggestKmsActionName('Decrpyt'), 'Decrypt');
  });

  it('suggests nothing for a name far longer than any action, without comparing it letter by letter (a 100 KB string typed into Action)', () => {
    const huge = 'A'.repeat(100_000);
    assert.equal(suggestKmsActionName(huge), undefined);
    assert.equal(closestWord(huge, ['Allow', 'Deny'], 1), undefined);
    // Same length as a candidate, far from it: compared, and not close enough.
    assert.equal(closestWord('Zzzzz', ['Allow', 'Deny'], 1), undefined);
  });
});
