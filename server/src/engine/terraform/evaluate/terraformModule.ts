/**
 * A Terraform module: the `.tf` and `.tf.json` files of one folder, indexed by what
 * expressions refer to (`var.x`, `local.y`, `aws_kms_key.k`, `module.m`, `data.t.n`).
 */
import type { Attribute, Block, Expr, SourceFile } from '../../model/syntax';
import type { ResourceRef } from '../../model/values';

export interface TerraformModule {
  /** URI of the folder, without a trailing slash. */
  dirUri: string;
  files: SourceFile[];
  /** `aws_kms_key.k`, `data.aws_kms_alias.a` → the block. */
  resources: Map<string, ResourceRef>;
  variables: Map<string, { block: Block; uri: string }>;
  locals: Map<string, { attribute: Attribute; uri: string }>;
  outputs: Map<string, { block: Block; uri: string }>;
  moduleCalls: Map<string, ResourceRef>;
  /** Values from `terraform.tfvars` and `*.auto.tfvars`, which Terraform loads by itself. */
  tfvars: Map<string, { attribute: Attribute; uri: string }>;
  /** Parses native-syntax text held in a Terraform JSON string (`"${jsonencode({…})}"`), for fixes that edit it; ranges are the text's own. */
  parseExpression?: (expressionText: string) => Expr;
}

const AUTO_TFVARS = /(^|\/)(terraform\.tfvars|[^/]+\.auto\.tfvars)(\.json)?$/;

export function isAutoLoadedTfvars(uri: string): boolean {
  return AUTO_TFVARS.test(uri);
}

export function buildTerraformModule(dirUri: string, files: SourceFile[]): TerraformModule {
  const module: TerraformModule = {
    dirUri, files, resources: new Map(), variables: new Map(), locals: new Map(),
    outputs: new Map(), moduleCalls: new Map(), tfvars: new Map(),
  };
  for (const file of files) {
    if (file.uri.endsWith('.tfvars') || file.uri.endsWith('.tfvars.json')) {
      if (!isAutoLoadedTfvars(file.uri)) continue;
      for (const block of file.blocks) {
        if (block.type === 'tfvars') for (const a of block.attributes) module.tfvars.set(a.name, { attribute: a, uri: file.uri });
      }
      continue;
    }
    for (const block of file.blocks) indexBlock(module, file.uri, block);
  }
  return module;
}

function indexBlock(module: TerraformModule, uri: string, block: Block): void {
  const [first, second] = block.labels;
  switch (block.type) {
    case 'resource':
      if (first && second) module.resources.set(`${first}.${second}`, { uri, mode: 'resource', type: first, name: second, address: `${first}.${second}`, block });
      break;
    case 'data':
      if (first && second) module.resources.set(`data.${first}.${second}`, { uri, mode: 'data', type: first, name: second, address: `data.${first}.${second}`, block });
      break;
    case 'module':
      if (first) module.moduleCalls.set(first, { uri, mode: 'module', type: 'module', name: first, address: `module.${first}`, block });
      break;
    case 'variable':
      if (first) module.variables.set(first, { block, uri });
      break;
    case 'output':
      if (first) module.outputs.set(first, { block, uri });
      break;
    case 'locals':
      for (const a of block.attributes) module.locals.set(a.name, { attribute: a, uri });
      break;
  }
}

/** `resourcesOfType` answers by module (a module is built once per analysis and not changed). */
const byType = new WeakMap<TerraformModule, Map<string, ResourceRef[]>>();

/**
 * The module's resources of the given types, in source order per file. Asked once per trail
 * and key, so the answer is kept: a module of hundreds of trails would otherwise walk all its
 * resources hundreds of times at every keystroke.
 */
export function resourcesOfType(module: TerraformModule, ...types: string[]): ResourceRef[] {
  let answers = byType.get(module);
  if (!answers) byType.set(module, (answers = new Map()));
  const key = types.join(' ');
  let found = answers.get(key);
  if (!found) answers.set(key, (found = [...module.resources.values()].filter((r) => r.mode === 'resource' && types.includes(r.type))));
  return found;
}

/** The module's `provider "aws"` blocks, in source order per file. */
export function awsProviderBlocks(module: TerraformModule): { block: Block; uri: string }[] {
  let found = awsProviders.get(module);
  if (!found) {
    found = module.files.flatMap((file) => file.blocks.filter((b) => b.type === 'provider' && b.labels[0] === 'aws').map((block) => ({ block, uri: file.uri })));
    awsProviders.set(module, found);
  }
  return found;
}

const awsProviders = new WeakMap<TerraformModule, { block: Block; uri: string }[]>();
