import type { Step } from '../playbook/types.generated.js';
import { stepType } from './index.js';

/** Whether a step may change the machine, as its type declares: a dry run only describes it, the checklist marks it. */
export function hasSideEffects(step: Step): boolean {
  const declared = stepType(step.type).sideEffects;
  return typeof declared === 'function' ? declared(step) : declared;
}
