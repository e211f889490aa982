/**
 * `describe-trails` / `get-trail` output → trail facts. A trail is judged on its members as
 * the API returns them: `KmsKeyId` appears only when the trail's log files are encrypted with
 * a KMS key, so a trail without it (or with an empty one) is CTK001, exactly what
 * `aws cloudtrail describe-trails --query 'trailList[].KmsKeyId'` shows; the key it names is
 * the described key of the same folder when there is one (CTK003, CTK004), else the ARN as
 * written (an AWS-managed alias or a malformed ARN is still CTK003).
 *
 * One file per Region lists a multi-Region trail in each (its shadow copies): it is one trail,
 * judged once, in the file whose name holds its `HomeRegion` (`trails-us-east-1.json`), else in
 * the first file that lists it.
 */
import type { TrailFacts } from '../analysis/facts';
import { NO_TRAIL_FIXES } from '../analysis/noFixes';
import { judgeTrailKey, resolveKeyOptions, type TrailKeyVerdict } from '../model/keyReference';
import { unknownRuntime } from '../model/valueOps';
import type { ObjectValue, Value } from '../model/values';
import { baseNameOfUri } from '../workspace/files';
import { memberAttribute, memberText, objectBlock } from './cliBlocks';
import type { CliOutput } from './cliOutputs';
import type { DescribedKeys } from './describedKeys';

const TRAIL_TYPE = 'AWS::CloudTrail::Trail';
const KEY_MEMBER = 'KmsKeyId';
const VALIDATION_MEMBER = 'LogFileValidationEnabled';

export interface CliTrail {
  facts: TrailFacts;
  /** `TrailARN`, when the output has it. */
  arn?: string;
  object: ObjectValue;
}

/** The trails of the folder's outputs, each once. */
export function cliTrails(outputs: CliOutput[], keys: DescribedKeys): CliTrail[] {
  const chosen = new Map<string, { output: CliOutput; object: ObjectValue; index: number }>();
  for (const output of outputs) {
    if (output.kind !== 'trails') continue;
    output.trails.forEach((object, index) => {
      const id = memberText(object, 'TrailARN') ?? `${output.uri}#${index}`;
      const previous = chosen.get(id);
      if (!previous || (!inHomeRegionFile(previous.output, previous.object) && inHomeRegionFile(output, object))) chosen.set(id, { output, object, index });
    });
  }
  return [...chosen.values()].map(({ output, object, index }) => trail(output, object, index, keys));
}

function trail(output: CliOutput, object: ObjectValue, index: number, keys: DescribedKeys): CliTrail {
  const arn = memberText(object, 'TrailARN');
  const address = arn ?? memberText(object, 'Name') ?? `trailList[${index}]`;
  const key = object.entries.get(KEY_MEMBER);
  const block = objectBlock(object, TRAIL_TYPE, address, [KEY_MEMBER, VALIDATION_MEMBER]);
  const facts: TrailFacts = {
    format: 'aws-cli',
    uri: output.uri,
    address,
    block,
    keyAttribute: memberAttribute(object, KEY_MEMBER),
    verdict: verdictOf(key, keys),
    logFileValidation: {
      attribute: memberAttribute(object, VALIDATION_MEMBER),
      // Absent is not "off" here: the output just does not say (the API always prints it).
      value: object.entries.get(VALIDATION_MEMBER) ?? unknownRuntime('not in the saved output', object.origin),
    },
    // Nothing to choose from: deployed state is changed where it is managed, not in this file.
    keyCandidates: [],
    access: keys.access,
    fixes: NO_TRAIL_FIXES,
  };
  return { facts, arn, object };
}

/** No member: no key. A described key: that key, for its settings. Otherwise what is written (a store's key too). */
export function verdictOf(key: Value | undefined, keys: DescribedKeys): TrailKeyVerdict {
  if (!key) return { kind: 'no-cmk', options: [] };
  const described = key.kind === 'string' && key.value !== '' ? keys.find(key.value) : undefined;
  if (described) return { kind: 'set', options: [{ kind: 'key', resource: described.ref, value: key }] };
  return judgeTrailKey(resolveKeyOptions(key));
}

function inHomeRegionFile(output: CliOutput, object: ObjectValue): boolean {
  const region = memberText(object, 'HomeRegion');
  return region !== undefined && baseNameOfUri(output.uri).toLowerCase().includes(region.toLowerCase());
}
