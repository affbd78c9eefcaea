import type { Prompter } from '../../steps/types.js';
import type { StepRecord } from '../record.js';
import { plainReporter } from './plain.js';
import type { Reporter } from './reporter.js';

const TAIL_ON_FAILURE = 20;

interface ActiveStep {
  /** Ends the step's live frame (it is cleared): with its record, or paused for a question. */
  end: (step: StepRecord | 'paused') => void;
  line: (text: string) => void;
  done: Promise<unknown>;
}

/**
 * listr2's live renderer, for a person at a terminal. Each step is a small Listr of its own, so
 * that between steps (and during a question) nothing is redrawing the screen.
 */
export async function liveReporter(prompter: Prompter): Promise<Reporter> {
  const { Listr } = await import('listr2');
  const plain = plainReporter({ write: (line) => process.stdout.write(`${line}\n`) });
  let active: ActiveStep | undefined;
  // A failed step's last lines stay on screen; listr2 only shows output while a task runs.
  let tail: string[] = [];

  const settle = async (step: StepRecord | 'paused'): Promise<void> => {
    const current = active;
    active = undefined;
    if (!current) return;
    current.end(step);
    await current.done.catch(() => undefined);
  };

  return {
    runStart: (record) => plain.runStart(record),
    stepStart(header) {
      tail = [];
      let end!: (step: StepRecord | 'paused') => void;
      const ended = new Promise<StepRecord | 'paused'>((resolve) => (end = resolve));
      let setOutput: (text: string) => void = () => undefined;
      const list = new Listr(
        [
          {
            title: header.name,
            // The frame only shows the step while it runs: it is cleared when the step ends, and
            // the step's line is printed as without a terminal, so a run has one set of markers
            // ([OK], [WARN], [FAILED], [SKIPPED]...) whether it ran live or under cron.
            task: async (_ctx, task) => {
              setOutput = (text) => (task.output = text);
              await ended;
            },
          },
        ],
        // The run handles SIGINT itself (kill the step's processes, record, unlock): listr2's own
        // handler would exit the process on the spot.
        { exitOnError: false, registerSignalListeners: false, rendererOptions: { clearOutput: true } },
      );
      active = { end, line: (text) => setOutput(text), done: list.run() };
    },
    stepLine: (line) => {
      tail = [...tail.slice(-(TAIL_ON_FAILURE - 1)), line];
      active?.line(line);
    },
    async stepEnd(step) {
      if (!active) return plain.stepEnd(step);
      await settle(step);
      if (step.status === 'failed') tail.forEach((line) => process.stdout.write(`    | ${line}\n`));
      plain.stepEnd(step);
    },
    note: (text) => plain.note(text),
    runEnd: (record) => plain.runEnd(record),
    // A question mid-step pauses the step's live frame first; its result is then printed plainly.
    prompter: {
      confirm: async (message, signal) => {
        await settle('paused');
        return prompter.confirm(message, signal);
      },
      choose: async (message, choices, signal) => {
        await settle('paused');
        return prompter.choose(message, choices, signal);
      },
    },
  };
}
