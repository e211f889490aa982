/** Every rule, sorted by id. Adding a rule = adding its file here and its doc in docs/rules/. */
import type { Rule } from './rule';
import { rule as CTK001 } from './CTK001-trail-missing-cmk';
import { rule as CTK002 } from './CTK002-trail-cmk-unresolved';
import { rule as CTK003 } from './CTK003-trail-key-not-cmk';

export const RULES: readonly Rule[] = [CTK001, CTK002, CTK003];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.meta.id === id);
