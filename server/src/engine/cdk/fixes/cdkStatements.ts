/**
 * AWS's required key-policy statements (policy/requiredStatements.ts) written as CDK code:
 * `new iam.PolicyStatement({ sid, actions, principals, resources, conditions })`, the account
 * and partition as `Aws.ACCOUNT_ID` / `Aws.PARTITION` (tokens CloudFormation resolves, valid
 * in any construct), the account root as `new iam.AccountRootPrincipal()`. CDK accepts only
 * alphanumeric statement ids, so AWS's sids are written without their spaces.
 */
import type { JsonObject, JsonValue, RequiredStatementParams } from '../../policy/requiredStatements';
import { quoted, type ImportPlan, type TsStyle } from './tsEdits';

const IAM = 'aws-cdk-lib/aws-iam';
const PARTITION = '${AWS::Partition}';
const ACCOUNT = '${AWS::AccountId}';

/** The placeholders the statements are built with; rendered as CDK tokens. */
export const CDK_PARAMS: RequiredStatementParams = { partition: PARTITION, accountId: ACCOUNT };

/** The lines of `new iam.PolicyStatement({ … })`; the first has no indentation, the others `indent` and deeper. */
export function statementLines(statement: JsonObject, plan: ImportPlan, style: TsStyle, indent: string): string[] {
  const inner = indent + style.indent;
  const members: string[] = [];
  if (typeof statement.Sid === 'string') members.push(`sid: ${quoted(alphanumeric(statement.Sid), style)}`);
  if (statement.Effect === 'Deny') members.push(`effect: ${plan.ref(IAM, 'Effect', 'iam')}.DENY`);
  if (statement.Action !== undefined) members.push(`actions: ${list(statement.Action, plan, style)}`);
  const principal = statement.Principal;
  if (principal && typeof principal === 'object' && !Array.isArray(principal)) members.push(`principals: [${principals(principal, plan, style).join(', ')}]`);
  if (statement.Resource !== undefined) members.push(`resources: ${list(statement.Resource, plan, style)}`);
  if (statement.Condition !== undefined) members.push(`conditions: ${object(statement.Condition, plan, style, inner)}`);
  return [`new ${plan.ref(IAM, 'PolicyStatement', 'iam')}({`, ...members.map((m) => `${inner}${m},`), `${indent}})`];
}

function principals(principal: { [key: string]: JsonValue }, plan: ImportPlan, style: TsStyle): string[] {
  const result: string[] = [];
  for (const [type, value] of Object.entries(principal)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (type === 'Service' && typeof item === 'string') result.push(`new ${plan.ref(IAM, 'ServicePrincipal', 'iam')}(${quoted(item, style)})`);
      else if (type === 'AWS' && item === `arn:${PARTITION}:iam::${ACCOUNT}:root`) result.push(`new ${plan.ref(IAM, 'AccountRootPrincipal', 'iam')}()`);
      else if (type === 'AWS' && typeof item === 'string') result.push(`new ${plan.ref(IAM, 'ArnPrincipal', 'iam')}(${text(item, plan, style)})`);
    }
  }
  return result;
}

function list(value: JsonValue, plan: ImportPlan, style: TsStyle): string {
  return `[${(Array.isArray(value) ? value : [value]).map((v) => scalar(v, plan, style)).join(', ')}]`;
}

function object(value: JsonValue, plan: ImportPlan, style: TsStyle, indent: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return scalar(value, plan, style);
  const entries = Object.entries(value);
  const flat = entries.every(([, v]) => typeof v !== 'object' || v === null);
  if (flat) return `{ ${entries.map(([k, v]) => `${key(k, style)}: ${scalar(v, plan, style)}`).join(', ')} }`;
  const inner = indent + style.indent;
  return `{${style.eol}${entries.map(([k, v]) => `${inner}${key(k, style)}: ${object(v, plan, style, inner)},${style.eol}`).join('')}${indent}}`;
}

function scalar(value: JsonValue, plan: ImportPlan, style: TsStyle): string {
  if (typeof value === 'string') return text(value, plan, style);
  if (Array.isArray(value)) return list(value, plan, style);
  return JSON.stringify(value);
}

/** A string, as a template literal when it holds the account or partition. */
function text(value: string, plan: ImportPlan, style: TsStyle): string {
  if (!value.includes(PARTITION) && !value.includes(ACCOUNT)) return quoted(value, style);
  const aws = plan.ref('aws-cdk-lib', 'Aws', 'cdk');
  const escaped = value.replace(/[`\\]/g, '\\$&');
  return `\`${escaped.split(PARTITION).join(`\${${aws}.PARTITION}`).split(ACCOUNT).join(`\${${aws}.ACCOUNT_ID}`)}\``;
}

/** `Allow CloudTrail to encrypt logs` → `AllowCloudTrailToEncryptLogs`. */
const alphanumeric = (sid: string): string => sid.split(/[^0-9A-Za-z]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

const key = (name: string, style: TsStyle): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quoted(name, style));
