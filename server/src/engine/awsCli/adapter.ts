/**
 * Saved AWS CLI output (`describe-trails`, `get-trail`, `get-key-policy`, `describe-key`,
 * `get-event-data-store`), found by content in any JSON file: what is deployed, checked
 * offline. The files of one folder are one scope, like a Terraform module: a trail's key is
 * described, and its policy saved, in files beside it (docs/inputs/deployed.md). Nothing here
 * is edited: findings have no quick fixes.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../adapter';
import type { KeyFacts } from '../analysis/keyFacts';
import type { TrailFacts } from '../analysis/facts';
import { withLoneCrAsLf } from '../model/text';
import { baseNameOfUri, dirnameUri } from '../workspace/files';
import { readCliOutput, type CliOutput } from './cliOutputs';
import { cliTrails } from './cliTrails';
import { cliKeyPolicyFacts } from './cliKeyPolicies';
import { cliEventDataStores, type CliEventDataStore } from './cliEventDataStores';
import { DescribedKeys } from './describedKeys';

export interface CliFolderFacts {
  /** The outputs of the folder by uri; a JSON file that is not AWS CLI output is absent. */
  outputs: Map<string, CliOutput>;
  trails: TrailFacts[];
  keys: KeyFacts[];
  eventDataStores: CliEventDataStore[];
}

const isJsonName = (fileName: string): boolean => fileName.endsWith('.json');

/** The outputs of a folder, read once per request (or per scan batch). */
export function cliFolderFacts(uris: string[], files: AdapterFiles): CliFolderFacts {
  const outputs = new Map<string, CliOutput>();
  for (const uri of uris) {
    if (!isJsonName(baseNameOfUri(uri).toLowerCase())) continue;
    const text = files.text(uri);
    const output = text === undefined ? undefined : readCliOutput(uri, withLoneCrAsLf(text));
    if (output) outputs.set(uri, output);
  }
  const read = [...outputs.values()];
  const keys = new DescribedKeys(read);
  const trails = cliTrails(read, keys);
  const stores = cliEventDataStores(read, keys);
  return {
    outputs,
    trails: trails.map((t) => t.facts),
    keys: cliKeyPolicyFacts(read, trails, keys, stores),
    eventDataStores: stores,
  };
}

const awsCliAdapter: InputAdapter = {
  scopeOf: (uri) => dirnameUri(uri),
  mayHoldTrail: (text) => text.includes('"trailList"') || text.includes('"Trail"'),
  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    const dir = dirnameUri(uri);
    const listed = files.folder(dir);
    // A file the folder's listing does not show (the host cannot list it) still joins its folder.
    const folder = listed.includes(uri)
      ? files.memo(`awsCli:${dir}`, () => cliFolderFacts(listed, files))
      : files.memo(`awsCli:${dir}:${uri}`, () => cliFolderFacts([...listed, uri], files));
    const output = folder.outputs.get(uri);
    return output && { trails: folder.trails, keys: folder.keys, eventDataStores: folder.eventDataStores.map((s) => s.facts), file: output.file };
  },
};

export const awsCliOutputs: InputLanguage = {
  name: 'AWS CLI output',
  claims: isJsonName,
  createAdapter: () => awsCliAdapter,
};
