/**
 * Key-policy semantics: parse an evaluated policy document, match and evaluate requests
 * against it, check what CloudTrail needs, and the statements AWS documents as required.
 */
export type {
  Condition, Effect, ParsedPolicy, PolicyElement, PolicyProblem, PolicyProblemId, PolicyString,
  PrincipalItem, PrincipalType, Statement, Tri,
} from './types';
export { parsePolicy } from './parsePolicy';
export type { ParsePolicyOptions } from './parsePolicy';
export { formatPolicyProblem, policyProblemMessages } from './policyProblems';
export { KMS_ACTIONS, checkActionName, isKnownKmsActionName, kmsActionsMatching, suggestKmsActionName } from './kmsActions';
export {
  CONDITION_OPERATOR_NAMES, accountOfPrincipal, accountPrincipal, evaluateCondition, evaluateConditions,
  isWildcardPrincipal, matchAction, matchPrincipal, matchResource, parseConditionOperator,
} from './matchers';
export type { ConditionOperator, ContextEntry, ContextLookup, RequestPrincipal } from './matchers';
export { matchArn, matchText, splitArn, triAnd, triNot, triOr } from './wildcards';
export { contextLookup, isAllowed, matchStatement } from './evaluate';
export type { Decision, PolicyDecision, PolicyRequest, RequestContext, StatementMatch } from './evaluate';
export { CLOUDTRAIL_ENCRYPTION_CONTEXT_KEY, CLOUDTRAIL_SERVICE_PRINCIPAL, cloudTrailServiceRequest, logReaderRequest, trailIdentity } from './cloudtrailRequests';
export type { CloudTrailKeyPolicyOptions, TrailIdentity } from './cloudtrailRequests';
export { analyzeCloudTrailKeyPolicy, analyzeTrailEncrypt, isWrittenForCloudTrail } from './cloudtrailRequirements';
export { explainConditionMismatch } from './conditionMismatch';
export type { ConditionMismatch, MismatchedPart } from './conditionMismatch';
export type { CloudTrailKeyPolicyAnalysis, RequirementResult } from './cloudtrailRequirements';
export { EVENT_DATA_STORE_ACTIONS, analyzeEventDataStoreKeyPolicy, grantsEventDataStore, sourceConditionOf } from './eventDataStoreRequirements';
export type { EventDataStoreKeyPolicyAnalysis, StoreGrantReason } from './eventDataStoreRequirements';
export { analyzeBucketKeyDecrypt } from './bucketKeyRequirements';
export { TOPIC_PUBLISH_ACTIONS, analyzeTopicKeyPolicy } from './topicKeyRequirements';
export type { TopicKeyPolicyAnalysis, TopicKeyPolicyOptions, TopicPublishAction } from './topicKeyRequirements';
export {
  cloudTrailBucketKeyDecryptStatement, cloudTrailDescribeStatement, cloudTrailEncryptStatement, cloudTrailKeyPolicy, knownTrailArn,
  cloudTrailTopicPublishStatement, eventDataStoreEncryptStatement, keyPolicyFor, logReadersStatement,
  requiredCloudTrailStatements, requiredEventDataStoreStatements, requiredStatements, requiredTopicStatements,
  rootKeyAdministrationStatement,
} from './requiredStatements';
export type { JsonObject, JsonValue, KeyUse, RequiredStatement, RequiredStatementParams, RequiredStatementPurpose } from './requiredStatements';
