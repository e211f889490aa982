/**
 * Reading a `jsonc-parser` tree: the few accessors the readers of generated JSON (Terraform
 * plans) share, each tolerant of a node of the wrong kind (`undefined`, never a throw).
 */
import type { Node } from 'jsonc-parser';

/** The value of an object's property `name`. */
export function property(object: Node | undefined, name: string): Node | undefined {
  if (object?.type !== 'object') return undefined;
  return valueOf(object.children?.find((p) => keyText(p) === name));
}

/** A property node's value. */
export const valueOf = (prop: Node | undefined): Node | undefined => prop?.children?.[1];

export const objectNode = (node: Node | undefined): Node | undefined => (node?.type === 'object' ? node : undefined);

/** The items of an array node; none for anything else. */
export const arrayItems = (node: Node | undefined): Node[] => (node?.type === 'array' ? node.children ?? [] : []);

/** A property node's key. */
export function keyText(prop: Node): string | undefined {
  const key: unknown = prop.children?.[0]?.value;
  return typeof key === 'string' ? key : undefined;
}

export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** The strings of an array node, skipping anything else. */
export const stringItems = (node: Node | undefined): string[] => arrayItems(node).map(stringValue).filter((s): s is string => s !== undefined);
