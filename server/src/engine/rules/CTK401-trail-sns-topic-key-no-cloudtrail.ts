/**
 * CTK401 trail-sns-topic-key-no-cloudtrail: a trail notifies an SNS topic encrypted with a key
 * CloudTrail cannot use: the AWS-managed `alias/aws/sns` (whose policy nobody can change), a key
 * with no policy (KMS's default trusts only the account), or a policy that does not let
 * `cloudtrail.amazonaws.com` call `kms:GenerateDataKey*` and `kms:Decrypt`. Log files are still
 * delivered; every notification fails, so whatever subscribes to the topic stops hearing of them.
 */
import { TOPIC_PUBLISH_ACTIONS, matchText, type RequirementResult } from '../policy';
import type { Statement } from '../policy/types';
import type { KeyFacts } from '../analysis/keyFacts';
import type { TopicFacts } from '../analysis/topicFacts';
import { analyzedTopicKey } from '../analysis/analyzedTopicKeys';
import type { Fix } from '../types';
import type { Rule, RuleContext } from './rule';
import { keyPhrase, policyPhrase, reportOnKey, statementOrigin, trailPhrase } from './keyPolicySupport';

const NO_NOTIFICATION = 'so no notification arrives (log files are still delivered)';
const ID = 'CTK401';

export const rule: Rule = {
  meta: {
    id: ID,
    name: 'trail-sns-topic-key-no-cloudtrail',
    defaultSeverity: 'warning',
    description: "The key of a trail's encrypted SNS topic must let cloudtrail.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt.",
    fixable: true,
    messages: {
      awsManaged: `{topic}, where {trail} sends its log-delivery notifications, is encrypted with {key}, an AWS-managed key whose policy cannot be changed to let cloudtrail.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt: CloudTrail cannot publish to the topic, ${NO_NOTIFICATION}. Encrypt the topic with a customer-managed key.`,
      noPolicy: `{key} encrypts {topic}, where {trail} sends its notifications, but has no key policy, so KMS gives it the default policy, which trusts only the account: CloudTrail cannot publish to the topic, ${NO_NOTIFICATION}.`,
      missing: `{policy} does not let cloudtrail.amazonaws.com call {actions} on {key}, which encrypts {topic}: CloudTrail cannot publish {trail}'s notifications, ${NO_NOTIFICATION}.`,
      misspelledAction: `"{action}" is not a KMS action, so this statement does not let CloudTrail call {actions} on {key}, which encrypts {topic}: {trail}'s notifications cannot be published.`,
      denied: "This Deny statement stops cloudtrail.amazonaws.com from calling {actions} on {key} (an explicit Deny beats every Allow): {trail}'s notifications to {topic} cannot be published.",
      conditionsNeverMatch: "This statement names CloudTrail and {actions}, but its conditions never match CloudTrail's request: {trail}'s notifications to {topic} cannot be published.",
    },
  },
  check(context) {
    for (const topic of context.topics) if (topic.awsManagedKey) reportAwsManaged(context, topic, topic.awsManagedKey);
    for (const key of context.topicKeys) checkTopicKey(context, key);
  },
};

function reportAwsManaged(context: RuleContext, topic: TopicFacts, key: string): void {
  // A suppression written on the trail counts too, when the trail is in the same file.
  const trail = topic.notifiedBy.find((t) => t.location.uri === topic.uri);
  context.report({
    messageId: 'awsManaged',
    data: { topic: topic.address, trail: listPhrase(topic.notifiedBy.map((t) => t.address)), key },
    uri: topic.uri,
    range: topic.keySetting?.range ?? topic.block.headerRange,
    resource: topic.address,
    subject: topic.block.range,
    alsoSubject: trail?.block.range,
    related: topic.notifiedBy.map((t) => ({ location: t.location, message: `${t.address} sends its notifications to ${topic.address}` })),
    fixes: () => [topic.fixes.createKey(), topic.fixes.suppress(ID)],
  });
}

type Reason = NonNullable<RequirementResult<'missing' | 'denied' | 'conditionsNeverMatch' | 'misspelledAction'>['reason']>;

function checkTopicKey(context: RuleContext, key: KeyFacts): void {
  const data = { key: keyPhrase(key), policy: policyPhrase(key), trail: trailPhrase(key), topic: topicPhrase(key) };
  const suppress = (): Fix | undefined => key.fixes.suppress(ID);
  const addStatement = (): Fix | undefined => key.fixes.addStatements(['publishToTopic']);
  const analyzed = analyzedTopicKey(key);
  if (!analyzed) {
    if (key.kind === 'key' && !key.policyJudgedAt) {
      reportOnKey(context, key, undefined, { messageId: 'noPolicy', data, fixes: () => [key.fixes.addPolicy('topic'), suppress()] });
    }
    return;
  }
  const { policy, analysis } = analyzed;
  // The actions each fault stops, so one statement at fault is reported once, naming both.
  const faults = new Map<string, { reason: Reason; statement?: Statement; actions: string[] }>();
  for (const action of TOPIC_PUBLISH_ACTIONS) {
    const result = analysis.actions[action];
    if (result.met || !result.reason) continue;
    const statements: (Statement | undefined)[] = result.statements.length > 0 ? result.statements : [undefined];
    for (const statement of statements) {
      const id = `${result.reason}:${statement?.index ?? ''}`;
      const fault = faults.get(id) ?? { reason: result.reason, statement, actions: [] };
      fault.actions.push(action);
      faults.set(id, fault);
    }
  }
  for (const { reason, statement, actions } of faults.values()) {
    const withActions = { ...data, actions: actions.join(' and ') };
    if (reason === 'misspelledAction' && statement) {
      const problem = policy.problems.find((p) => p.statementIndex === statement.index && p.suggestion !== undefined &&
        actions.some((a) => matchText(p.suggestion!, a.replace('*', ''), { wildcards: true, foldCase: true }) !== 'no'));
      reportOnKey(context, key, problem?.origin ?? statementOrigin(statement), {
        messageId: reason, data: { ...withActions, action: problem?.data.action ?? '' }, fixes: () => [problem && key.fixes.correct(problem), addStatement(), suppress()],
      });
      continue;
    }
    reportOnKey(context, key, statement && statementOrigin(statement), {
      messageId: reason, data: withActions, fixes: () => [reason === 'denied' ? undefined : addStatement(), suppress()],
    });
  }
}

/** The topics the key encrypts, for messages. */
function topicPhrase(key: KeyFacts): string {
  const topics = [...new Set(key.usedBy.map((u) => u.through?.[0]?.address).filter((a): a is string => a !== undefined))];
  return listPhrase(topics.length > 0 ? topics : ['a trail\'s topic']);
}

const listPhrase = ([first, ...rest]: string[]): string => (rest.length === 0 ? first : `${first} (and ${rest.length} more)`);
