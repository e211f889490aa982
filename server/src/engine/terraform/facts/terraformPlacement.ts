/**
 * Terraform → where a trail is created and where its bucket and key are: the region and
 * account of the provider configuration each resource uses (`provider = aws.west`, else the
 * module's default `provider "aws"` block), and a resource's own `region` argument (AWS
 * provider 6 "Enhanced Region Support"). Only values written here count (literals, defaults):
 * a module with no provider block inherits its caller's, which is not known here.
 *
 * The account of a provider configuration is known from `allowed_account_ids` with one account
 * (Terraform refuses to run in any other) or from the account of the `assume_role` role.
 */
import type { Block, Expr } from '../../model/syntax';
import { findAttribute } from '../../model/syntax';
import type { ResourceRef, Value } from '../../model/values';
import { ALIAS_TYPES, KEY_TYPES, resolveKeyOptions } from '../../model/keyReference';
import { accountOfPrincipal } from '../../policy/matchers';
import type { RegionFact, TrailPlacement } from '../../analysis/facts';
import { isRegionCode, partitionOfRegion, regionOfKmsArn } from '../../analysis/awsRegions';
import { awsProviderBlocks, resourcesOfType } from '../evaluate/terraformModule';
import type { TerraformEvaluator } from '../evaluate/terraformEvaluator';
import { bucketOf } from './terraformBucketKeys';
import { createdWith } from './terraformInstances';

interface ProviderPlacement {
  region?: string;
  account?: string;
  /** `provider aws.west`, `provider aws`. */
  name: string;
}

export function terraformTrailPlacement(evaluator: TerraformEvaluator, trail: ResourceRef): TrailPlacement {
  const provider = providerPlacement(evaluator, trail);
  const region = ownRegion(evaluator, trail) ?? provider?.region;
  const organization = evaluator.evaluateAttribute(trail.block, 'is_organization_trail', trail.uri);
  const maybeOrganization = organization !== undefined && !(organization.kind === 'bool' && !organization.value);
  // An organization trail's ARN carries the management account: the deploying account only
  // when this configuration creates the organization (only its management account can).
  const managesOrganization = resourcesOfType(evaluator.module, 'aws_organizations_organization').length > 0;
  const account = maybeOrganization && !managesOrganization ? undefined : provider?.account;
  return {
    partition: region && partitionOfRegion(region),
    region,
    account,
    organization: (organization?.kind === 'bool' && organization.value) || undefined,
    bucket: bucketRegion(evaluator, trail),
    key: keyRegion(evaluator, trail),
  };
}

/** The provider configuration a resource uses, as far as it is written here. */
function providerPlacement(evaluator: TerraformEvaluator, resource: ResourceRef): ProviderPlacement | undefined {
  const alias = providerAlias(findAttribute(resource.block, 'provider')?.value);
  if (alias === null) return undefined;
  for (const { block, uri } of awsProviderBlocks(evaluator.module)) {
    const written = knownString(evaluator.evaluateAttribute(block, 'alias', uri));
    if ((findAttribute(block, 'alias') ? written : undefined) !== alias) continue;
    const region = knownString(evaluator.evaluateAttribute(block, 'region', uri));
    return {
      region: region && isRegionCode(region) ? region : undefined,
      account: providerAccount(evaluator, block, uri),
      name: alias ? `provider aws.${alias}` : 'provider aws',
    };
  }
  return undefined;
}

/** `aws.west` → `west`; no `provider` → undefined (the default configuration); anything else → null. */
function providerAlias(expr: Expr | undefined): string | undefined | null {
  if (!expr) return undefined;
  if (expr.kind !== 'traversal' || expr.root !== 'aws' || expr.source) return null;
  const [step, ...rest] = expr.steps;
  return step?.kind === 'attr' && rest.length === 0 ? step.name : null;
}

function providerAccount(evaluator: TerraformEvaluator, provider: Block, uri: string): string | undefined {
  const allowed = evaluator.evaluateAttribute(provider, 'allowed_account_ids', uri);
  if (allowed?.kind === 'list' && allowed.items.length === 1) {
    const account = knownString(allowed.items[0]);
    if (account && /^\d{12}$/.test(account)) return account;
  }
  const roles = provider.blocks.filter((b) => b.type === 'assume_role');
  const last = roles[roles.length - 1];
  const role = last && knownString(evaluator.evaluateAttribute(last, 'role_arn', uri));
  const account = role && accountOfPrincipal(role);
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** A resource's own `region` argument (AWS provider 6), when written out. */
function ownRegion(evaluator: TerraformEvaluator, resource: ResourceRef): string | undefined {
  const region = knownString(evaluator.evaluateAttribute(resource.block, 'region', resource.uri));
  return region && isRegionCode(region) ? region : undefined;
}

/** Where a declared resource is: its own `region`, else its provider's. */
function regionOfResource(evaluator: TerraformEvaluator, resource: ResourceRef): { region: string; because: string } | undefined {
  const own = ownRegion(evaluator, resource);
  if (own) return { region: own, because: 'its region argument' };
  const provider = providerPlacement(evaluator, resource);
  return provider?.region ? { region: provider.region, because: provider.name } : undefined;
}

function bucketRegion(evaluator: TerraformEvaluator, trail: ResourceRef): RegionFact | undefined {
  const bucket = bucketOf(evaluator.evaluateAttribute(trail.block, 's3_bucket_name', trail.uri));
  const found = bucket && regionOfResource(evaluator, bucket);
  return bucket && found && { ...found, subject: bucket.address, location: { uri: bucket.uri, range: bucket.block.headerRange } };
}

/** The trail's key, when it is one key (or alias) whose region is known: a key ARN written out, or a key declared here. */
function keyRegion(evaluator: TerraformEvaluator, trail: ResourceRef): RegionFact | undefined {
  const value = evaluator.alongside(createdWith(evaluator.module, trail)).evaluateAttribute(trail.block, 'kms_key_id', trail.uri);
  if (!value) return undefined;
  const { options } = resolveKeyOptions(value);
  if (options.length !== 1) return undefined;
  const [option] = options;
  if (option.kind === 'literal') {
    const region = regionOfKmsArn(option.text);
    return region ? { region, subject: option.text, because: 'its ARN', location: option.value.origin } : undefined;
  }
  if ((option.kind !== 'key' && option.kind !== 'alias') || option.resource.mode !== 'resource') return undefined;
  if (!KEY_TYPES.has(option.resource.type) && !ALIAS_TYPES.has(option.resource.type)) return undefined;
  const found = regionOfResource(evaluator, option.resource);
  return found && { ...found, subject: option.resource.address, location: { uri: option.resource.uri, range: option.resource.block.headerRange } };
}

const knownString = (value: Value | undefined): string | undefined =>
  value?.kind === 'string' && !value.partial ? value.value : undefined;
