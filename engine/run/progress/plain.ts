import { formatDuration } from '../../duration.js';
import type { StepRecord } from '../record.js';
import type { Reporter } from './reporter.js';

const TAIL = 20;

const MARKS: Record<string, string> = {
  ok: 'OK',
  warn: 'WARN',
  critical: 'CRITICAL',
  failed: 'FAILED',
  skipped: 'SKIPPED',
  pending: 'PENDING',
};

function stepDetail(step: StepRecord): string {
  const why = step.error ?? step.message ?? step.skipped_because;
  const attempts = step.attempts > 1 ? `, ${step.attempts} attempts` : '';
  return `${why ? `: ${why}` : ''} (${formatDuration(step.duration_ms)}${attempts})`;
}

/**
 * A line per event, plain ASCII, no escape codes: what cron mails and log files keep.
 * A step's output lines follow its end line (the last 20), or stream live with `verbose`.
 */
export function plainReporter(opts: { write: (line: string) => void; verbose?: boolean; indent?: string }): Reporter {
  const write = (line: string) => opts.write(`${opts.indent ?? ''}${line}`);
  let buffered: string[] = [];
  let total = 0;
  return {
    runStart: (record) => write(`== ${record.playbook}: ${record.title} (run ${record.run_id})`),
    stepStart: (step) => {
      buffered = [];
      total = 0;
      write(`[start] ${step.name}`);
    },
    stepLine: (line, stream) => {
      const text = `    ${stream === 'stderr' ? '! ' : '| '}${line}`;
      total++;
      if (opts.verbose) write(text);
      else buffered = [...buffered.slice(-(TAIL - 1)), text];
    },
    stepEnd: (step) => {
      if (!opts.verbose) {
        if (total > buffered.length) write(`    | ... ${total - buffered.length} earlier lines (--verbose shows all)`);
        buffered.forEach(write);
      }
      buffered = [];
      total = 0;
      write(`[${MARKS[step.status] ?? step.status}] ${step.name}${stepDetail(step)}`);
    },
    note: (text) => write(text),
    runEnd: (record) => {
      const pending = record.steps.filter((step) => step.status === 'pending');
      if (pending.length) write(`pending manual tasks: ${pending.map((step) => step.name).join('; ')}`);
      write(record.summary);
    },
  };
}
