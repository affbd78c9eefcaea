import type { Command } from 'commander';
import { formatDuration } from '../duration.js';
import { formatTable } from '../template/helpers.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';
import { summaryMessage } from '../summary-text.js';

export function registerHistory(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('history')
    .argument('[name]', 'one playbook (default: all)')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many runs', '20')
    .description('past runs, newest first')
    .action(action(async (name: string | undefined, opts: { json?: boolean; limit: string }) => {
      const store = await io.store();
      const runs = (name ? [name] : store.playbooks())
        .flatMap((playbook) => store.index(playbook).map((entry) => ({ playbook, ...entry })))
        .sort((a, b) => b.started_at.localeCompare(a.started_at))
        .slice(0, Number(opts.limit) || 20);
      if (opts.json) {
        io.out(jsonText({ runs }));
        return 0;
      }
      if (!runs.length) {
        io.out(name ? `no recorded runs of ${name}` : 'no recorded runs');
        return 0;
      }
      io.out(formatTable(runs.map((run) => ({
        RUN: run.run_id, PLAYBOOK: run.playbook, STATUS: run.status, STARTED: run.started_at, TOOK: formatDuration(run.duration_ms),
        // The playbook and status have their columns, the perfdata is in --json and `show`.
        SUMMARY: summaryMessage(run.summary),
      }))));
      return 0;
    }));
}
