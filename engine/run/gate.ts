import type { StepRecord } from './record.js';

type When = 'on-success' | 'always' | 'on-failure' | 'on-alert';

/** A failure that stops `on-success` steps: a failed step without `continue_on_error`. */
function blocking(step: StepRecord): boolean {
  return step.status === 'failed' && step.level === 'critical';
}

/** Why a step's `when` keeps it from running after `earlier`, or undefined when it runs. */
export function whenBlocks(when: When | undefined, earlier: StepRecord[]): string | undefined {
  switch (when ?? 'on-success') {
    case 'always':
      return undefined;
    case 'on-success':
      return earlier.some(blocking) ? 'an earlier step failed' : undefined;
    case 'on-failure':
      return earlier.some(blocking) ? undefined : 'no earlier step failed';
    case 'on-alert':
      return earlier.some((step) => step.level !== 'ok') ? undefined : 'no alert so far';
  }
}
