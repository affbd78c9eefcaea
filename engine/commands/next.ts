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

/** Each scheduled playbook with its next `count` firings, the playbook that fires first first. */
async function firingsByPlaybook(playbooks: LoadedPlaybook[], count: number, from: Date): Promise<{ playbook: LoadedPlaybook; at: Date[] }[]> {
  const groups = await Promise.all(playbooks.filter(({ data }) => data.schedule).map(async (playbook) => ({ playbook, at: await nextRuns(playbook.data.schedule!, count, from) })));
  const first = (group: { at: Date[] }) => group.at[0]?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return groups.sort((a, b) => first(a) - first(b) || a.playbook.name.localeCompare(b.playbook.name));
}

export function registerNext(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('next')
    .argument('[name]', 'one playbook (default: every scheduled playbook, each with its next firings)')
    .option('--count <n>', 'how many firing times per playbook (default 5 for one playbook, 3 each for all)')
    .option('--from <time>', 'count from this time (ISO 8601) instead of now')
    .option('--json', 'print JSON')
    .description('the next times cron runs the playbooks, in UTC and local time')
    .action(action(async (name: string | undefined, flags: NextFlags) => {
      const from = parseFrom(flags.from);
      const count = parseCount(flags.count, name ? 5 : 3);
      const dirs = io.dirs();
      let playbooks: LoadedPlaybook[];
      if (name) {
        playbooks = [await (await import('../playbook/load.js')).loadPlaybook(name, dirs)];
      } else {
        const set = await (await import('../schedule/scheduled.js')).loadEvery(dirs);
        for (const bad of set.invalid) io.err(`warning: ${bad.name} is not valid and is left out (runbook validate)`);
        playbooks = set.valid;
      }
      const groups = await firingsByPlaybook(playbooks, count, from);
      if (flags.json) {
        const firings = groups.flatMap(({ playbook, at }) => at.map((time) => ({ playbook: playbook.name, at: time })))
          .sort((a, b) => a.at.getTime() - b.at.getTime() || a.playbook.localeCompare(b.playbook));
        io.out(jsonText({ firings: firings.map(({ playbook, at }) => ({ playbook, at: at.toISOString(), local: localText(at) })) }));
        return 0;
      }
      if (name && !playbooks[0]?.data.schedule) {
        io.out(`${name} has no schedule: it runs by hand`);
        return 0;
      }
      if (!groups.length) io.out('no scheduled playbooks');
      const blocks = await Promise.all(groups.map(async ({ playbook, at }) => [
        `${playbook.name}: ${scheduleLine(await parseSchedule(playbook.data.schedule!))}`,
        ...formatTable(at.map((time) => ({ UTC: utcText(time), LOCAL: localText(time) }))).split('\n').map((line) => (name ? line : `  ${line}`)),
      ]));
      io.out(blocks.map((lines) => lines.join('\n')).join('\n\n'));
      return 0;
    }));
}
