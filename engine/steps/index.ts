import { assertThreshold } from './assert-threshold.js';
import { httpCheck } from './http-check.js';
import { manual } from './manual.js';
import { notify } from './notify.js';
import { playbook } from './playbook.js';
import { pm2 } from './pm2.js';
import { shell } from './shell.js';
import { sql } from './sql.js';
import type { AnyStepType } from './types.js';

/**
 * Every step type, by the name playbooks use in `type:`. The engine, the schema and the
 * renderers learn about step types only from this table.
 */
export const STEP_TYPES = {
  shell,
  sql,
  'assert-threshold': assertThreshold,
  'http-check': httpCheck,
  manual,
  notify,
  playbook,
  pm2,
} satisfies Record<string, AnyStepType>;

export type StepKind = keyof typeof STEP_TYPES;

export function stepType(kind: string): AnyStepType {
  return (STEP_TYPES as Record<string, AnyStepType>)[kind]!;
}
