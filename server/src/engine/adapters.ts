/**
 * The registry: every input language the engine reads, in the order they are asked about a
 * file (a `.json` file is a CloudFormation template, else a Terraform plan or state, else AWS CLI
 * output, else a key policy).
 * Adding a format is a folder with an `InputLanguage` and one line here.
 */
import type { InputAdapter, InputLanguage } from './adapter';
import { terraformModules } from './terraform/adapter';
import { terraformPlans } from './terraform/plan/adapter';
import { terraformStates } from './terraform/state/adapter';
import { cloudformationTemplates } from './cloudformation/adapter';
import { policyDocuments } from './policyDocuments/adapter';
import { awsCliOutputs } from './awsCli/adapter';
import { cdkApps } from './cdk/adapter';

export const LANGUAGES: readonly InputLanguage[] = [
  terraformModules,
  cloudformationTemplates,
  terraformPlans,
  terraformStates,
  awsCliOutputs,
  policyDocuments,
  cdkApps,
];

/** The languages that may report findings in a file of this name, in the order to ask them. */
export function languagesFor(fileName: string): InputLanguage[] {
  const name = fileName.toLowerCase();
  const result: InputLanguage[] = [];
  for (const language of LANGUAGES) {
    if (language.claims(name)) result.push(language);
    if (language.owns?.(name)) break;
  }
  return result;
}

/** Whether any language reports findings in a file of this name (a scan reads only these). */
export const isCheckedFileName = (fileName: string): boolean => languagesFor(fileName).length > 0;

/**
 * Starts loading the languages' parsers, so that a server started before it is told its
 * workspace has them ready (and warm) when the first document arrives. Never rejects: a
 * parser that cannot load says so when an analyzer is created.
 */
export function preloadLanguages(): Promise<void> {
  return Promise.all(LANGUAGES.map((language) => language.preload?.())).then(() => undefined, () => undefined);
}

export interface RegisteredAdapter {
  language: InputLanguage;
  adapter: InputAdapter;
}

export async function createAdapters(): Promise<RegisteredAdapter[]> {
  return Promise.all(LANGUAGES.map(async (language) => ({ language, adapter: await language.createAdapter() })));
}
