/**
 * The `configuration` section of a Terraform plan → what each argument of a resource refers
 * to, module by module. Planned values say what a trail's `kms_key_id` will be, but a key
 * created in the same apply has no ARN yet: the plan writes that value as unknown, and only
 * the configuration (`"kms_key_id": {"references": ["aws_kms_key.trail.arn",
 * "aws_kms_key.trail"]}`) says which key it will be.
 *
 * Terraform lists every object an expression refers to, unwrapped step by step
 * (`aws_kms_key.k[0].arn`, `aws_kms_key.k[0]`, `aws_kms_key.k`; `module.kms.key_arn`,
 * `module.kms`), relative to the module the expression is written in. A constant expression
 * has a `constant_value` and no references. Locals are not part of the configuration
 * representation, so a reference through `local.…` ends there.
 */
import type { Node } from 'jsonc-parser';
import { keyText, objectNode, property, stringItems, stringValue, valueOf, arrayItems } from '../../model/jsonNodes';

/** One module of the configuration (the root, or the module a call loads). */
export interface PlanModuleConfiguration {
  /** By module-relative address (`aws_cloudtrail.main`, `data.aws_kms_key.k`): argument → references. */
  resources: Map<string, Map<string, string[]>>;
  /** By call name (`trail` for `module "trail"`): each input's references, and the module called. */
  moduleCalls: Map<string, { inputs: Map<string, string[]>; module: PlanModuleConfiguration }>;
  /** Output name → the references of its expression. */
  outputs: Map<string, string[]>;
}

/** The root module of `configuration`, reading the resources whose type is in `types`. */
export function readPlanConfiguration(configuration: Node | undefined, types: ReadonlySet<string>): PlanModuleConfiguration {
  return readModule(objectNode(property(configuration, 'root_module')), types);
}

function readModule(module: Node | undefined, types: ReadonlySet<string>): PlanModuleConfiguration {
  const resources = new Map<string, Map<string, string[]>>();
  for (const resource of arrayItems(property(module, 'resources'))) {
    const address = stringValue(property(resource, 'address'));
    if (address === undefined || !types.has(stringValue(property(resource, 'type')) ?? '')) continue;
    resources.set(address, referencesByName(property(resource, 'expressions')));
  }
  const moduleCalls = new Map<string, { inputs: Map<string, string[]>; module: PlanModuleConfiguration }>();
  for (const call of objectNode(property(module, 'module_calls'))?.children ?? []) {
    const name = keyText(call);
    const body = objectNode(valueOf(call));
    if (name === undefined || !body) continue;
    moduleCalls.set(name, { inputs: referencesByName(property(body, 'expressions')), module: readModule(objectNode(property(body, 'module')), types) });
  }
  const outputs = new Map<string, string[]>();
  for (const output of objectNode(property(module, 'outputs'))?.children ?? []) {
    const name = keyText(output);
    const references = referencesOf(property(valueOf(output), 'expression'));
    if (name !== undefined && references.length > 0) outputs.set(name, references);
  }
  return { resources, moduleCalls, outputs };
}

/** An `expressions` object's top-level arguments that refer to something (nested blocks hold no key reference). */
function referencesByName(expressions: Node | undefined): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const argument of objectNode(expressions)?.children ?? []) {
    const name = keyText(argument);
    const references = referencesOf(valueOf(argument));
    if (name !== undefined && references.length > 0) result.set(name, references);
  }
  return result;
}

const referencesOf = (expression: Node | undefined): string[] => stringItems(property(expression, 'references'));
