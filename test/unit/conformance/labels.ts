/**
 * The corpus labels (../shared/corpus/LABELS.tsv): the verdict the project must reach for each
 * trail and key of the peers' fixtures and real-world modules. Files are read in place; their
 * sources and licences are listed in the corpus's MANIFEST.tsv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from '../../support/engine';

export interface Label {
  localPath: string;
  address: string;
  line: number;
  verdict: 'trail_no_cmk' | 'trail_cmk_ok' | 'trail_cmk_unresolved' | 'key_policy_missing_cloudtrail_grants' | 'key_policy_ok' | 'not_applicable';
  reason: string;
}

export function readLabels(): Label[] {
  const text = fs.readFileSync(path.join(corpusDir(), 'LABELS.tsv'), 'utf8');
  return text.split('\n').slice(1).filter((l) => l.trim()).map((line) => {
    const [localPath, address, lineNo, verdict, reason] = line.split('\t');
    return { localPath, address, line: Number(lineNo), verdict: verdict as Label['verdict'], reason };
  });
}

export const isTerraformLabel = (l: Label): boolean => /\.tf(\.json)?$/.test(l.localPath);
