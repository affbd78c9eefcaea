import { RunbookError } from '../errors.js';
import type { Step } from '../playbook/types.generated.js';
import type { RunRecord, StepRecord } from './record.js';
import { didYouMean } from '../suggest.js';

export interface Selection {
  selected(index: number): boolean;
  /** Why an unselected step is skipped. */
  reason: string;
  /** The latest records, across past runs, of the steps not run now, so templates can still read them. */
  carried(history: Iterable<RunRecord>): StepRecord[];
}

function indexOfStep(steps: Step[], key: string, flag: string): number {
  const index = steps.findIndex((step) => step.id === key || step.name === key);
  if (index < 0) {
    const ids = steps.map((step) => step.id).filter(Boolean);
    throw new RunbookError('BAD_ARGUMENT', `${flag} ${key}: no step has that id or name${didYouMean(key, steps.flatMap((step) => [step.id ?? '', step.name]).filter(Boolean))}${ids.length ? ` (ids: ${ids.join(', ')})` : ''}`);
  }
  return index;
}

/** `--only STEP` reruns one step; `--from STEP` resumes at one. Neither: every step. */
export function selectSteps(steps: Step[], opts: { only?: string; from?: string }): Selection {
  if (opts.only && opts.from) throw new RunbookError('BAD_ARGUMENT', '--only and --from cannot be used together');
  const only = opts.only === undefined ? undefined : indexOfStep(steps, opts.only, '--only');
  const from = opts.from === undefined ? undefined : indexOfStep(steps, opts.from, '--from');
  const selected = (index: number) => (only !== undefined ? index === only : from !== undefined ? index >= from : true);
  return {
    selected,
    reason: only !== undefined ? `not selected (--only ${opts.only})` : `before --from ${opts.from}`,
    carried: (history) => {
      const wanted = new Set(steps.filter((step, index) => step.id && !selected(index)).map((step) => step.id!));
      const found: StepRecord[] = [];
      for (const run of history) {
        if (wanted.size === 0) break;
        for (const record of run.steps) {
          if (record.id && wanted.has(record.id) && record.status !== 'skipped') {
            found.push(record);
            wanted.delete(record.id);
          }
        }
      }
      return found;
    },
  };
}
