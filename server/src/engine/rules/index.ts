/** Every rule, sorted by id. Adding a rule = adding its file here and its doc in docs/rules/. */
import type { Rule } from './rule';
import { rule as CTK001 } from './CTK001-trail-missing-cmk';
import { rule as CTK002 } from './CTK002-trail-cmk-unresolved';
import { rule as CTK003 } from './CTK003-trail-key-not-cmk';
import { rule as CTK004 } from './CTK004-trail-key-disabled';
import { rule as CTK005 } from './CTK005-trail-key-other-region';
import { rule as CTK101 } from './CTK101-key-policy-no-cloudtrail-encrypt';
import { rule as CTK102 } from './CTK102-key-policy-encrypt-unscoped';
import { rule as CTK103 } from './CTK103-key-policy-no-cloudtrail-describe';
import { rule as CTK104 } from './CTK104-key-policy-no-log-readers';
import { rule as CTK105 } from './CTK105-key-policy-decrypt-too-broad';
import { rule as CTK106 } from './CTK106-key-policy-invalid';
import { rule as CTK107 } from './CTK107-trail-bucket-key-no-decrypt';
import { rule as CTK201 } from './CTK201-key-rotation-disabled';
import { rule as CTK202 } from './CTK202-trail-log-validation-disabled';
import { rule as CTK301 } from './CTK301-event-data-store-missing-cmk';
import { rule as CTK302 } from './CTK302-event-data-store-key-not-cmk';
import { rule as CTK303 } from './CTK303-event-data-store-key-policy-no-cloudtrail';
import { rule as CTK304 } from './CTK304-event-data-store-key-no-query-access';
import { rule as CTK401 } from './CTK401-trail-sns-topic-key-no-cloudtrail';

export const RULES: readonly Rule[] = [
  CTK001, CTK002, CTK003, CTK004, CTK005, CTK101, CTK102, CTK103, CTK104, CTK105, CTK106, CTK107, CTK201, CTK202, CTK301, CTK302, CTK303, CTK304, CTK401,
];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.meta.id === id);
