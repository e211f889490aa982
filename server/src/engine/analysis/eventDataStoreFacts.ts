/**
 * What the event data store rules (CTK301–CTK304) look at: CloudTrail Lake event data stores
 * (`aws_cloudtrail_event_data_store`, `AWS::CloudTrail::EventDataStore`), built by each adapter's
 * facts code beside its trails.
 *
 * A store's key setting reads exactly like a trail's (same evaluation, verdict, key candidates
 * and fix builders, the builders bound to the store's own key policy and titles), so a store is
 * described with the trail's shape; it has no log file validation and is never reported through
 * a module call. The trail rules never see stores: they are a list of their own.
 */
import type { TrailFacts } from './facts';

export interface EventDataStoreFacts extends TrailFacts {
  /** The key setting's name as the format spells it: `kms_key_id`, `KmsKeyId`. */
  keyAttributeName: string;
}
