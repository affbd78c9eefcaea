import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StepState } from '../steps/types.js';
import { writeAtomic } from '../fs/write-atomic.js';
import { playbookFileName } from './store.js';

/** The name a step's state file takes: its id, else its name made file-safe. */
function stepKey(step: { id?: string; name: string }): string {
  return step.id ?? step.name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/**
 * The state port a step gets: `STATE_DIR/steps/PLAYBOOK/STEP.json`, written atomically and
 * private to the owner. `readOnly` (a dry run) reads the real state and keeps writes to itself.
 */
export function stepState(opts: { stateDir: string; playbook: string; step: { id?: string; name: string }; readOnly: boolean }): StepState {
  const file = path.join(opts.stateDir, 'steps', playbookFileName(opts.playbook), `${stepKey(opts.step)}.json`);
  return {
    read() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    write(value) {
      if (!opts.readOnly) writeAtomic(file, `${JSON.stringify(value)}\n`);
    },
  };
}
