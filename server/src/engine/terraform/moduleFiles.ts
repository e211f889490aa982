/**
 * Which files of a folder belong to its Terraform (or OpenTofu) module, by name: native syntax,
 * JSON syntax and variable files. Only the first two hold resources, so only they get findings.
 *
 * OpenTofu reads `*.tofu` and `*.tofu.json` like `*.tf` and `*.tf.json`, and "when both .tf and
 * .tofu files with the same base name are present in a directory, OpenTofu will prioritize the
 * .tofu file and ignore the .tf file" (opentofu.org, Files and Directories, Extension Precedence);
 * the JSON pair works the same way (`x.tofu.json` hides `x.tf.json`, not `x.tf`). Terraform
 * itself does not read `.tofu` files, so a folder with both is an OpenTofu module whose shadowed
 * `.tf` files are never loaded: judging them would report what is not deployed.
 */

/** The configuration suffixes, and the OpenTofu one that hides each Terraform one. */
const TOFU_ALTERNATIVE: ReadonlyArray<[terraform: string, tofu: string]> = [['.tf', '.tofu'], ['.tf.json', '.tofu.json']];

const CONFIGURATION_SUFFIXES = ['.tf', '.tf.json', '.tofu', '.tofu.json'];

export const isTerraformConfiguration = (fileName: string): boolean => CONFIGURATION_SUFFIXES.some((suffix) => fileName.endsWith(suffix));

/** Native syntax that holds resources (not `.tfvars`): what the HCL fixes may edit. */
export const isNativeConfiguration = (fileName: string): boolean => fileName.endsWith('.tf') || fileName.endsWith('.tofu');

export const isTerraformVariables = (fileName: string): boolean => fileName.endsWith('.tfvars') || fileName.endsWith('.tfvars.json');

export const isTerraformJson = (fileName: string): boolean => fileName.endsWith('.tf.json') || fileName.endsWith('.tofu.json') || fileName.endsWith('.tfvars.json');

/** Names a JSON document of another kind (template, plan, policy) can never have. */
export const isTerraformFileName = (fileName: string): boolean => isTerraformConfiguration(fileName) || isTerraformVariables(fileName);

/**
 * The OpenTofu file name that, present in the same folder, hides this (lower-case) Terraform
 * file name: `main.tofu` for `main.tf`, `main.tofu.json` for `main.tf.json`; undefined for others.
 */
export function tofuAlternativeOf(fileName: string): string | undefined {
  const pair = TOFU_ALTERNATIVE.find(([terraform]) => fileName.endsWith(terraform));
  return pair && fileName.slice(0, fileName.length - pair[0].length) + pair[1];
}
