import type { Command } from 'commander';
import { RunbookError } from '../errors.js';
import type { LoadedPlaybook } from '../playbook/load.js';
import { nextRuns, parseSchedule } from '../schedule/next.js';
import { localText, utcText } from '../schedule/time-text.js';
import { scheduleLine } from '../schedule/words.js';
import { formatTable } from '../template/helpers.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

interface NextFlags {
  count?: string;
  from?: string;
  json?: boolean;
}

interface Firing {
  playbook: string;
  at: Date;
}

function parseFrom(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RunbookError('BAD_ARGUMENT', `--from ${text}: not a time (use ISO 8601, e.g. 2026-12-01T00:00Z)`);
  return time;
}

function parseCount(text: string | undefined, fallback: number): number {
  const count = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(count) || count < 1) throw new RunbookError('BAD_ARGUMENT', `--count ${text}: give a whole number of at least 1`);
  return count;
}

/** The next `count` firings of all `playbooks` together, soonest first. */
async function timeline(playbooks: LoadedPlaybook[], count: number, from: Date): Promise<Firing[]> {
  const firings = await Promise.all(playbooks.map(async ({ name, data }) =>
    data.schedule ? (await nextRuns(data.schedule, count, from)).map((at) => ({ playbook: name, at })) : []));
  return firings.flat().sort((a, b) => a.at.getTime() - b.at.getTime() || a.playbook.localeCompare(b.playbook)).slice(0, count);
}

export function registerNext(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('next')
    .argument('[name]', 'one playbook (default: every scheduled playbook, soonest first)')
    .option('--count <n>', 'how many firing times (default 5 for one playbook, 10 for all)')
    .option('--from <time>', 'count from this time (ISO 8601) instead of now')
    .option('--json', 'print JSON')
    .description('the next times cron runs the playbooks, in UTC and local time')
    .action(action(async (name: string | undefined, flags: NextFlags) => {
      const from = parseFrom(flags.from);
      const count = parseCount(flags.count, name ? 5 : 10);
      const dirs = io.dirs();
      let playbooks: LoadedPlaybook[];
      if (name) {
        playbooks = [await (await import('../playbook/load.js')).loadPlaybook(name, dirs)];
      } else {
        const set = await (await import('../schedule/scheduled.js')).loadEvery(dirs);
        for (const bad of set.invalid) io.err(`warning: ${bad.name} is not valid and is left out (runbook validate)`);
        playbooks = set.valid;
      }
      const firings = await timeline(playbooks, count, from);
      if (flags.json) {
        io.out(jsonText({ firings: firings.map(({ playbook, at }) => ({ playbook, at: at.toISOString(), local: localText(at) })) }));
        return 0;
      }
      const schedule = playbooks[0]?.data.schedule;
      if (name && !schedule) {
        io.out(`${name} has no schedule: it runs by hand`);
        return 0;
      }
      if (name && schedule) io.out(`${name}: ${scheduleLine(await parseSchedule(schedule))}`);
      if (!firings.length) io.out('no scheduled playbooks');
      else io.out(formatTable(firings.map(({ playbook, at }) => ({ UTC: utcText(at), LOCAL: localText(at), ...(name ? {} : { PLAYBOOK: playbook }) }))));
      return 0;
    }));
}
