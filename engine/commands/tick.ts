import type { Command } from 'commander';
import { RunbookError } from '../errors.js';
import type { CommandIO, Wrap } from './io.js';

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RunbookError('BAD_ARGUMENT', `--now ${text}: not a time (use ISO 8601, e.g. 2027-03-28T01:00Z)`);
  return time;
}

export function registerTick(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('tick')
    .option('--now <time>', 'run what is due at this minute instead of the current one (tests; catching up by hand after an outage)')
    .option('--minutes <list>', 'the minutes the crontab line fires at (written by runbook cron): a schedule needing another is reported')
    .description("run every scheduled playbook that is due now, by its own cron expression and zone (the crontab's one line)")
    .action(action(async (flags: { now?: string; minutes?: string }) => {
      const now = parseNow(flags.now);
      const minutes = flags.minutes === undefined || flags.minutes === '*' ? undefined : flags.minutes.split(',').map(Number);
      const { tick } = await import('../schedule/tick.js');
      const interrupt = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => interrupt.abort(signal);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        return await tick({ dirs: io.dirs(), now, store: await io.store(), env: io.env, settings: io.settings, interrupt: interrupt.signal, minutes, out: io.out, err: io.err });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }));
}
