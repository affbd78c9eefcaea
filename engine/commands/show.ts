import type { Command } from 'commander';
import { formatDuration } from '../duration.js';
import { RunbookError } from '../errors.js';
import type { RunRecord } from '../run/record.js';
import type { RunStore } from '../run/store.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';
import { outputLines } from './show-output.js';

/** The run `what` names: a playbook (its last run), a run id, or a unique start of one. */
function findRun(store: RunStore, what: string): RunRecord {
  const playbooks = store.playbooks();
  if (playbooks.includes(what)) {
    const last = store.index(what).at(-1);
    const record = last && store.read(what, last.run_id);
    if (!record) throw new RunbookError('UNKNOWN_RUN', `no recorded runs of ${what}`);
    return record;
  }
  const matches = playbooks.flatMap((playbook) => store.index(playbook).filter((entry) => entry.run_id.startsWith(what)).map((entry) => ({ playbook, run_id: entry.run_id })));
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map((match) => `${match.run_id} (${match.playbook})`).join(', ');
    throw new RunbookError('UNKNOWN_RUN', `\`${what}\` starts ${matches.length} run ids: ${shown}${matches.length > 5 ? ', …' : ''}; give more of it`);
  }
  const record = matches[0] && store.read(matches[0].playbook, matches[0].run_id);
  if (!record) throw new RunbookError('UNKNOWN_RUN', `no recorded run ${what} (no run id starts with it, and no playbook of that name has runs); \`runbook history\` lists them`);
  return record;
}

export function registerShow(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('show')
    .argument('<run>', 'a playbook (its last run), a run id from `runbook history`, or the start of one')
    .option('--json', 'print the whole record')
    .description('one run: every step, its status, duration and output')
    .action(action(async (what: string, opts: { json?: boolean }) => {
      const record = findRun(await io.store(), what);
      if (opts.json) {
        io.out(jsonText(record));
        return 0;
      }
      io.out(`${record.playbook}: ${record.title}`);
      io.out(`run ${record.run_id} on ${record.host}, started ${record.started_at}, ${record.status}, took ${formatDuration(record.duration_ms)}`);
      for (const step of record.steps) {
        const note = step.error ?? step.message ?? step.skipped_because;
        io.out(`  ${step.status.toUpperCase().padEnd(8)} ${step.name}${note ? `: ${note}` : ''} (${formatDuration(step.duration_ms)})`);
        for (const line of outputLines(step.output)) io.out(`      ${line}`);
      }
      io.out(record.summary);
      return 0;
    }));
}
