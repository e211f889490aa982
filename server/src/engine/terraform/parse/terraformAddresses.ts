/**
 * Terraform addresses and references as a plan writes them, split into steps:
 * `module.logs["eu"].aws_kms_key.trail[0]`, `aws_kms_key.trail.arn`, `module.kms.key_arn`.
 *
 * Instance keys are kept as written (`0`, `"eu"`): Terraform writes them the same way in
 * addresses and in references, so comparing the text is comparing the key.
 */

/** One step: `aws_kms_key`, or `trail[0]` as name `trail` with key `0`. */
export interface AddressStep {
  name: string;
  key?: string;
}

/** A resource address, relative to the module it is written in when `modules` is empty. */
export interface ResourceAddress {
  /** The module instances it sits in, outermost first. */
  modules: AddressStep[];
  /** `aws_kms_key.trail`, `data.aws_kms_key.trail`: the resource as the configuration names it. */
  resource: string;
  /** The instance key, when the resource has `count` or `for_each`. */
  key?: string;
  /** What follows in a reference: `arn` in `aws_kms_key.trail.arn`. */
  rest: AddressStep[];
}

/** The steps of `text`; undefined when it is not an address Terraform would write. */
export function splitAddress(text: string): AddressStep[] | undefined {
  const steps: AddressStep[] = [];
  let i = 0;
  while (i < text.length) {
    const nameEnd = indexOfAny(text, '.[', i);
    const step: AddressStep = { name: text.slice(i, nameEnd) };
    if (step.name === '') return undefined;
    i = nameEnd;
    if (text[i] === '[') {
      const close = closingBracket(text, i);
      if (close === -1) return undefined;
      step.key = text.slice(i + 1, close);
      i = close + 1;
    }
    steps.push(step);
    if (i === text.length) break;
    if (text[i] !== '.') return undefined;
    i++;
    if (i === text.length) return undefined;
  }
  return steps.length > 0 ? steps : undefined;
}

/** `module.a.module.b.aws_kms_key.k[0]` → modules a, b; resource `aws_kms_key.k`; key `0`. Undefined for anything else. */
export function parseResourceAddress(text: string): ResourceAddress | undefined {
  const steps = splitAddress(text);
  if (!steps) return undefined;
  let i = 0;
  const modules: AddressStep[] = [];
  while (steps[i]?.name === 'module' && steps[i].key === undefined && steps[i + 2]) {
    modules.push(steps[i + 1]);
    i += 2;
  }
  const data = steps[i]?.name === 'data' && steps[i].key === undefined;
  if (data) i++;
  const [type, name] = [steps[i], steps[i + 1]];
  if (!type || !name || type.key !== undefined) return undefined;
  return { modules, resource: `${data ? 'data.' : ''}${type.name}.${name.name}`, key: name.key, rest: steps.slice(i + 2) };
}

/** Whether two module paths are the same module instances. */
export const sameModuleInstance = (a: AddressStep[], b: AddressStep[]): boolean =>
  a.length === b.length && a.every((step, i) => step.name === b[i].name && step.key === b[i].key);

function indexOfAny(text: string, characters: string, from: number): number {
  for (let i = from; i < text.length; i++) if (characters.includes(text[i])) return i;
  return text.length;
}

/** The `]` closing the `[` at `open`, skipping a quoted key's escaped characters. */
function closingBracket(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ']' && !quoted) return i;
  }
  return -1;
}
