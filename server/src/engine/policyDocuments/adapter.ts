/**
 * Key policies kept as JSON files of their own (`key-policy.json`, read by `file()` or by the
 * AWS CLI), recognised by content. They have no trail: their findings are CTK1xx on the policy.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../adapter';
import { withLoneCrAsLf } from '../model/text';
import { readPolicyFile } from './policyFileFacts';

const policyDocumentAdapter: InputAdapter = {
  scopeOf: (uri) => uri,
  mayHoldTrail: () => false,
  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    const text = files.text(uri);
    const policyFile = text === undefined ? undefined : readPolicyFile(uri, withLoneCrAsLf(text));
    return policyFile && { trails: [], keys: policyFile.facts, file: policyFile.file };
  },
};

export const policyDocuments: InputLanguage = {
  name: 'Policy document',
  claims: (fileName) => fileName.endsWith('.json'),
  createAdapter: () => policyDocumentAdapter,
};
