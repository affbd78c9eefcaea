import { formatDuration } from '../../duration.js';
import type { Prompter } from '../../steps/types.js';
import type { StepRecord } from '../record.js';
import { plainReporter } from './plain.js';
import { terminalPrompter } from './prompter.js';
import type { Reporter } from './reporter.js';

const TAIL_ON_FAILURE = 20;

interface ActiveStep {
  finish: (step: StepRecord) => void;
  line: (text: string) => void;
  done: Promise<unknown>;
}

/**
 * listr2's live renderer, for a person at a terminal. Each step is a small Listr of its own, so
 * that between steps (and before a question) nothing is redrawing the screen.
 */
export async function liveReporter(): Promise<Reporter> {
  const { Listr } = await import('listr2');
  const plain = plainReporter({ write: (line) => process.stdout.write(`${line}\n`) });
  let active: ActiveStep | undefined;
  // A failed step's last lines stay on screen; listr2 only shows output while a task runs.
  let tail: string[] = [];

  const settle = async (step?: StepRecord): Promise<void> => {
    const current = active;
    active = undefined;
    if (!current) return;
    if (step) current.finish(step);
    await current.done.catch(() => undefined);
  };

  const prompter: Prompter = {
    // A question mid-step ends the step's live frame first; its result is then printed plainly.
    confirm: async (message) => {
      await settle();
      return terminalPrompter.confirm(message);
    },
    choose: async (message, choices) => {
      await settle();
      return terminalPrompter.choose(message, choices);
    },
  };

  return {
    runStart: (record) => plain.runStart(record),
    stepStart(header) {
      tail = [];
      let finish!: (step: StepRecord) => void;
      const finished = new Promise<StepRecord>((resolve) => (finish = resolve));
      let setOutput: (text: string) => void = () => undefined;
      const list = new Listr(
        [
          {
            title: header.name,
            task: async (_ctx, task) => {
              setOutput = (text) => (task.output = text);
              const step = await finished;
              task.title = `${header.name} (${formatDuration(step.duration_ms)})${step.message || step.error ? `: ${step.error ?? step.message}` : ''}`;
              if (step.status === 'skipped') task.skip(`${header.name}: skipped${step.skipped_because ? ` (${step.skipped_because})` : ''}`);
              else if (step.status === 'failed' || step.status === 'critical') throw new Error(task.title);
            },
          },
        ],
        { exitOnError: false, rendererOptions: { collapseErrors: false, showErrorMessage: false } },
      );
      active = { finish, line: (text) => setOutput(text), done: list.run() };
    },
    stepLine: (line) => {
      tail = [...tail.slice(-(TAIL_ON_FAILURE - 1)), line];
      active?.line(line);
    },
    async stepEnd(step) {
      if (!active) return plain.stepEnd(step);
      await settle(step);
      if (step.status === 'failed') tail.forEach((line) => process.stdout.write(`    | ${line}\n`));
    },
    note: (text) => plain.note(text),
    runEnd: (record) => plain.runEnd(record),
    prompter,
  };
}
