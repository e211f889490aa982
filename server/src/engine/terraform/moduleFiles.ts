/**
 * Which files of a folder belong to its Terraform module, by name: native syntax, Terraform
 * JSON and variable files. Only the first two hold resources, so only they get findings.
 */
export const isTerraformConfiguration = (fileName: string): boolean => fileName.endsWith('.tf') || fileName.endsWith('.tf.json');

export const isTerraformVariables = (fileName: string): boolean => fileName.endsWith('.tfvars') || fileName.endsWith('.tfvars.json');

export const isTerraformJson = (fileName: string): boolean => fileName.endsWith('.tf.json') || fileName.endsWith('.tfvars.json');

/** Names a JSON document of another kind (template, plan, policy) can never have. */
export const isTerraformFileName = (fileName: string): boolean => isTerraformConfiguration(fileName) || isTerraformVariables(fileName);
