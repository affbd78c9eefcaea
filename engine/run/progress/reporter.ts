import type { Prompter } from '../../steps/types.js';
import type { RunRecord, StepRecord } from '../record.js';

export interface StepHeader {
  index: number;
  name: string;
  type: string;
}

/**
 * What the runner tells the operator while it runs. The runner never writes to a terminal or a
 * file itself; reporters do, after the one redactor has seen the text.
 */
export interface Reporter {
  runStart(record: RunRecord): void;
  stepStart(step: StepHeader): void;
  stepLine(line: string, stream: 'stdout' | 'stderr'): void;
  /** May wait (a live renderer finishing its frame). */
  stepEnd(step: StepRecord): Promise<void> | void;
  /** A line that belongs to no step: dry-run descriptions, skips, notices. */
  note(text: string): void;
  runEnd(record: RunRecord): Promise<void> | void;
  /** Present only when a person can answer at a terminal. */
  prompter?: Prompter;
}

/** Sends every event to each reporter in turn (the terminal and the playbook's log file). */
export function teeReporter(reporters: Reporter[]): Reporter {
  return {
    runStart: (record) => reporters.forEach((r) => r.runStart(record)),
    stepStart: (step) => reporters.forEach((r) => r.stepStart(step)),
    stepLine: (line, stream) => reporters.forEach((r) => r.stepLine(line, stream)),
    stepEnd: async (step) => {
      for (const r of reporters) await r.stepEnd(step);
    },
    note: (text) => reporters.forEach((r) => r.note(text)),
    runEnd: async (record) => {
      for (const r of reporters) await r.runEnd(record);
    },
    prompter: reporters.find((r) => r.prompter)?.prompter,
  };
}

/** Reports nothing (`--json`, where the one document at the end is the output). */
export const silentReporter: Reporter = {
  runStart() {},
  stepStart() {},
  stepLine() {},
  stepEnd() {},
  note() {},
  runEnd() {},
};
