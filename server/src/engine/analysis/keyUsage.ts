/**
 * Which keys the trails use: each trail's key options, followed through aliases to the key
 * resources declared alongside. Format-neutral (the trail facts carry the accessors), so
 * Terraform and CloudFormation decide "is this a CloudTrail key" the same way: by reference,
 * never by name.
 */
import type { Location } from '../types';
import { rangeContains } from '../types';
import { ALIAS_TYPES, KEY_TYPES, resolveKeyOptions, type KeyOption } from '../model/keyReference';
import type { ResourceRef, Value } from '../model/values';
import type { ModelAccess, TrailFacts } from './facts';
import type { KeyTrail, KeyUser } from './keyFacts';

export interface KeyUsage {
  key: ResourceRef;
  users: KeyUser[];
}

/**
 * Which keys a key-facts builder lists. By default: the trails' keys, and keys whose policy is
 * written for CloudTrail. With `usage`: exactly those keys, for those users (the keys of the
 * trails' notification topics). `otherwiseUsed`: keys with another known use, which a policy
 * naming CloudTrail does not make trail keys. `stores`: the event data stores, whose keys are
 * listed too, with the stores as their `storeUsers`.
 */
export interface KeyFactsScope {
  usage?: Map<string, KeyUsage>;
  otherwiseUsed?: ReadonlySet<string>;
  stores?: TrailFacts[];
}

/** Keys declared here (by address) → the trails that encrypt with them. */
export function keysUsedByTrails(trails: TrailFacts[]): Map<string, KeyUsage> {
  const usage = new Map<string, KeyUsage>();
  const add = (key: ResourceRef, user: KeyUser): void => {
    const entry = usage.get(key.address) ?? { key, users: [] };
    if (!entry.users.some((u) => u.address === user.address)) entry.users.push(user);
    usage.set(key.address, entry);
  };
  for (const trail of trails) {
    if (trail.throughModule) continue;
    const location: Location = { uri: trail.uri, range: trail.block.headerRange };
    for (const option of trail.verdict.options) {
      for (const found of keysOfOption(option, trail.access)) add(found.key, { address: trail.address, location, through: found.through });
    }
  }
  return usage;
}

/** The keys declared here a key setting of the trail's module resolves to (directly or through an alias), by address. */
export const keysNamedBy = (value: Value, trail: TrailFacts): string[] =>
  resolveKeyOptions(value).options.flatMap((o) => keysOfOption(o, trail.access)).map((found) => found.key.address);

/** The keys declared here that a key setting's option names, directly or through an alias resource. */
export function keysOfOption(option: KeyOption, access: ModelAccess): { key: ResourceRef; through?: KeyUser['through'] }[] {
  if (option.kind === 'key' && option.resource.mode === 'resource') return [{ key: option.resource }];
  if (option.kind !== 'alias' || option.resource.mode !== 'resource' || !ALIAS_TYPES.has(option.resource.type)) return [];
  const alias = option.resource;
  const target = access.attribute(alias, access.names.aliasTarget);
  if (!target) return [];
  const through = [{ address: alias.address, location: { uri: alias.uri, range: alias.block.headerRange } }];
  return resolveKeyOptions(target).options
    .filter((o): o is Extract<KeyOption, { kind: 'key' }> => o.kind === 'key' && o.resource.mode === 'resource' && KEY_TYPES.has(o.resource.type))
    .map((o) => ({ key: o.resource, through }));
}

/**
 * The ARN CloudTrail's requests carry, when one trail uses the key and something of its ARN is
 * known: what is not known (region, account, partition, name) stays `${…}`, which matches anything.
 */
export function trailArnOf(users: KeyUser[], trails: TrailFacts[], nameAttribute: string): string | undefined {
  return users.length === 1 ? trailArnsOf(users, trails, nameAttribute)[0]?.arn : undefined;
}

/** Each trail of `users` declared here whose ARN is partly known, with that ARN: a key several trails share is judged for each. */
export function trailArnsOf(users: KeyUser[], trails: TrailFacts[], nameAttribute: string): KeyTrail[] {
  const result: KeyTrail[] = [];
  for (const user of users) {
    const trail = trails.find((t) => t.address === user.address && !t.throughModule);
    const arn = trail && arnOfTrail(trail, nameAttribute);
    if (trail && arn) result.push({ address: trail.address, arn, organization: trail.placement?.organization });
  }
  return result;
}

function arnOfTrail(trail: TrailFacts, nameAttribute: string): string | undefined {
  const placement = trail.placement ?? {};
  if (placement.arn !== undefined) return placement.arn;
  const ref: ResourceRef = { uri: trail.uri, mode: 'resource', type: '', name: '', address: trail.address, block: trail.block };
  const written = trail.access.attribute(ref, nameAttribute);
  const name = written?.kind === 'string' && written.value !== '' && !written.value.includes(':') ? written.value : undefined;
  if (name === undefined && placement.partition === undefined && placement.region === undefined && placement.account === undefined) return undefined;
  return `arn:${placement.partition ?? '${partition}'}:cloudtrail:${placement.region ?? '${region}'}:${placement.account ?? '${account}'}:trail/${name ?? '${trail_name}'}`;
}

/** What a key's fixes may write of the one trail that uses it. */
export interface FixTrail {
  /** The trail's name, when it is written as text in the trail itself (a default elsewhere may be overridden). */
  name?: string;
  /** An organization trail: its ARN carries the management account. */
  organization: boolean;
}

/** A trail name a fix may copy into an ARN: letters, digits, periods, underscores and dashes (CloudTrail's naming rules). */
export const isPlainTrailName = (name: string): boolean => /^[A-Za-z0-9._-]+$/.test(name);

export function fixTrailOf(users: KeyUser[], trails: TrailFacts[], nameAttribute: string): FixTrail | undefined {
  if (users.length !== 1) return undefined;
  const trail = trails.find((t) => t.address === users[0].address && !t.throughModule);
  if (!trail) return undefined;
  const ref: ResourceRef = { uri: trail.uri, mode: 'resource', type: '', name: '', address: trail.address, block: trail.block };
  const written = trail.access.attribute(ref, nameAttribute);
  const inPlace = written?.kind === 'string' && !written.partial && written.origin?.uri === trail.uri && rangeContains(trail.block.range, written.origin.range);
  const name = inPlace && isPlainTrailName(written.value) ? written.value : undefined;
  return { name, organization: trail.placement?.organization === true };
}
