import type { Migration } from 'kysely/migration';
import * as foundation from './202611231500_foundation.ts';
import * as people from './202611231600_people.ts';
import * as imports from './202611231700_imports.ts';
import * as duplicates from './202611231710_duplicates.ts';
import * as queries from './202611231800_queries.ts';
import * as calls from './202611231900_calls.ts';
import * as callFollowUps from './202611232000_call_followups.ts';
import * as campaigns from './202611232100_campaigns.ts';
import * as callQueue from './202611232200_call_queue.ts';
import * as rateLimits from './202612040100_rate_limits.ts';
import * as linkTokens from './202612040200_link_tokens.ts';
import * as privacy from './202612040300_privacy.ts';
import * as consents from './202612040400_consents.ts';
import * as mailer from './202612041900_mailer.ts';
import * as changeDigests from './202612042000_change_digests.ts';
import * as callAggregates from './202612042100_call_aggregates.ts';
import * as campaignTargetCounts from './202612042110_campaign_target_counts.ts';
import * as callAggregateRollups from './202612042120_call_aggregate_rollups.ts';
import * as callCountsDimIdx from './202612042130_call_counts_dim_idx.ts';
import * as aggregatesFillfactor from './202612042140_aggregates_fillfactor.ts';
import * as consentsPerUnit from './202612042300_consents_per_unit.ts';
import * as mailDelivery from './202612042340_mail_delivery.ts';
import * as consentsUniqueNulls from './202612042350_consents_unique_nulls.ts';
import * as mailImages from './202612042400_mail_images.ts';
import * as importConsents from './202612042410_import_consents.ts';
import * as mailingContent from './202612042420_mailing_content.ts';

/** Every migration, by name. Names sort in the order they run; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '202611231500_foundation': foundation,
  '202611231600_people': people,
  '202611231700_imports': imports,
  '202611231710_duplicates': duplicates,
  '202611231800_queries': queries,
  '202611231900_calls': calls,
  '202611232000_call_followups': callFollowUps,
  '202611232100_campaigns': campaigns,
  '202611232200_call_queue': callQueue,
  '202612040100_rate_limits': rateLimits,
  '202612040200_link_tokens': linkTokens,
  '202612040300_privacy': privacy,
  '202612040400_consents': consents,
  '202612041900_mailer': mailer,
  '202612042000_change_digests': changeDigests,
  '202612042100_call_aggregates': callAggregates,
  '202612042110_campaign_target_counts': campaignTargetCounts,
  '202612042120_call_aggregate_rollups': callAggregateRollups,
  '202612042130_call_counts_dim_idx': callCountsDimIdx,
  '202612042140_aggregates_fillfactor': aggregatesFillfactor,
  '202612042300_consents_per_unit': consentsPerUnit,
  '202612042340_mail_delivery': mailDelivery,
  '202612042350_consents_unique_nulls': consentsUniqueNulls,
  '202612042400_mail_images': mailImages,
  '202612042410_import_consents': importConsents,
  '202612042420_mailing_content': mailingContent,
};
