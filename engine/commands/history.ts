import type { Command } from 'commander';
import { formatDuration } from '../duration.js';
import { RunbookError } from '../errors.js';
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
      const store = io.store();
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

  program
    .command('show')
    .argument('<run_id>', 'a run id from `runbook history`')
    .option('--json', 'print the whole record')
    .description('one run: every step, its status, output and duration')
    .action(action(async (runId: string, opts: { json?: boolean }) => {
      const record = io.store().find(runId);
      if (!record) throw new RunbookError('UNKNOWN_RUN', `no recorded run ${runId}; \`runbook history\` lists them`);
      if (opts.json) {
        io.out(jsonText(record));
        return 0;
      }
      io.out(`${record.playbook}: ${record.title}`);
      io.out(`run ${record.run_id} on ${record.host}, started ${record.started_at}, ${record.status}, took ${formatDuration(record.duration_ms)}`);
      for (const step of record.steps) {
        const note = step.error ?? step.message ?? step.skipped_because;
        io.out(`  ${step.status.toUpperCase().padEnd(8)} ${step.name}${note ? `: ${note}` : ''} (${formatDuration(step.duration_ms)})`);
      }
      io.out(record.summary);
      return 0;
    }));
}
