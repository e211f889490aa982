/**
 * CloudFormation templates, YAML or JSON (SAM and CDK output included), recognised by content
 * in any `.yaml`, `.yml`, `.json` or `.template` file. A template is analysed on its own.
 */
import type { AdapterFiles, FileFacts, InputAdapter, InputLanguage } from '../adapter';
import type { SourceFile } from '../model/syntax';
import { LineIndex } from '../model/text';
import type { ResourceRef, Value } from '../model/values';
import { preferKeysThatGrantCloudTrail } from '../analysis/keyCandidates';
import { mayNameCloudTrail } from '../analysis/namesCloudTrail';
import { CloudFormationParser, parseCloudFormation } from './parse/cloudformation';
import { CloudFormationEvaluator, indexTemplate } from './facts/cloudformationEvaluator';
import { cloudformationTrailFacts } from './facts/cloudformationFacts';
import { cloudformationKeyFacts, keyPolicyOf } from './facts/cloudformationKeys';
import { cloudformationEventDataStoreFacts } from './facts/cloudformationEventDataStores';
import { grantsEventDataStore } from '../policy';
import { metadataSuppressions } from './facts/cloudformationSuppressions';
import { cloudformationNotificationTopics } from './facts/cloudformationTopics';

class CloudFormationAdapter implements InputAdapter {
  /** Keeps the last parse of each open document, so a keystroke re-parses one entry. */
  private readonly parser = new CloudFormationParser();

  scopeOf(uri: string): string {
    return uri;
  }

  mayHoldTrail(text: string): boolean {
    return text.includes('AWS::CloudTrail::Trail');
  }

  parse(uri: string, text: string, open: boolean): SourceFile | undefined {
    if (open) return this.parser.parse(uri, text);
    // A closed template that never names CloudTrail has no finding: read, not parsed.
    return mayNameCloudTrail(text) ? parseCloudFormation(uri, text) : undefined;
  }

  facts(uri: string, files: AdapterFiles): FileFacts | undefined {
    const file = files.parsed(uri);
    if (file?.format !== 'cloudformation') return undefined;
    const template = indexTemplate(file);
    const evaluator = new CloudFormationEvaluator(template);
    const trails = cloudformationTrailFacts(template, evaluator);
    const stores = cloudformationEventDataStoreFacts(template, evaluator);
    const topics = cloudformationNotificationTopics(template, trails);
    const keys = cloudformationKeyFacts(template, evaluator, trails, { otherwiseUsed: new Set(topics.keyUsage.keys()), stores });
    const topicKeys = topics.keyUsage.size > 0 ? cloudformationKeyFacts(template, evaluator, trails, { usage: topics.keyUsage }) : [];
    let lines: LineIndex | undefined; // only when a fix list asks
    const policyOf = (key: ResourceRef): Value | null => keyPolicyOf(evaluator, key, lines ??= new LineIndex(file.text));
    return {
      trails: preferKeysThatGrantCloudTrail(trails, keys, policyOf),
      keys,
      eventDataStores: preferKeysThatGrantCloudTrail(stores, keys, policyOf, grantsEventDataStore),
      topics: topics.topics,
      topicKeys,
      file,
      resourceSuppressions: metadataSuppressions(template),
    };
  }

  forget(uri: string): void {
    this.parser.forget(uri);
  }
}

const TEMPLATE_NAME = /\.(?:ya?ml|json|template)$/;

export const cloudformationTemplates: InputLanguage = {
  name: 'CloudFormation',
  claims: (fileName) => TEMPLATE_NAME.test(fileName),
  createAdapter: () => new CloudFormationAdapter(),
};
