import type { Command } from 'commander';
import { formatDuration } from '../duration.js';
import { localeIsUtf8, needsAttention, playbookStatus, sparkline, statusExitCode, type PlaybookStatus } from '../schedule/status.js';
import { utcText } from '../schedule/time-text.js';
import { formatTable } from '../template/helpers.js';
import { durationOption } from './duration-option.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

const STATUS_WORDS = ['OK', 'WARNING', 'CRITICAL'];

function check(status: PlaybookStatus): string {
  const attention = needsAttention(status);
  if (attention === 'missed') return `MISSED: no run since ${utcText(new Date(status.missed!))}`;
  if (attention === 'failed') return 'FAILED';
  if (status.running_since) return `running since ${utcText(new Date(status.running_since))}`;
  return status.last_run ? 'ok' : 'never run';
}

function row(status: PlaybookStatus, utf8: boolean): Record<string, string> {
  const last = status.last_run;
  return {
    PLAYBOOK: status.playbook,
    'LAST RUN': last ? utcText(new Date(last.started_at)) : '-',
    RESULT: last?.status ?? '-',
    TOOK: last ? formatDuration(last.duration_ms) : '-',
    'NEXT RUN': status.next_run ? utcText(new Date(status.next_run)) : 'by hand',
    TREND: sparkline(status.trend, utf8),
    CHECK: check(status),
  };
}

/** The Nagios line that ends the output, so `runbook status` can itself be a monitoring check. */
function summary(statuses: PlaybookStatus[], invalid: string[], code: number): string {
  const missed = statuses.filter((status) => needsAttention(status) === 'missed');
  const failed = statuses.filter((status) => needsAttention(status) === 'failed');
  const flagged = [
    ...missed.map((status) => `${status.playbook} MISSED`),
    ...failed.map((status) => `${status.playbook} last run ${status.last_run!.status}`),
    ...invalid.map((name) => `${name} INVALID`),
  ];
  const text = flagged.length ? flagged.join('; ') : `${statuses.length} playbooks, none missed or failed`;
  return `RUNBOOK STATUS ${STATUS_WORDS[code]} - ${text} | missed=${missed.length} failed=${failed.length} invalid=${invalid.length}`;
}

export function registerStatus(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('status')
    .option('--json', 'print JSON')
    .option('--grace <duration>', 'how late a scheduled run may start before it counts as missed', '10m')
    .description('each playbook: last run, result, next run, MISSED schedules; exits 2 when something needs attention')
    .action(action(async (opts: { json?: boolean; grace: string }) => {
      const graceMs = durationOption('--grace', opts.grace);
      const set = await (await import('../schedule/scheduled.js')).loadEvery(io.dirs());
      for (const bad of set.invalid) io.err(`warning: ${bad.name} is not valid: its scheduled runs fail (runbook validate)`);
      const store = await io.store();
      const now = new Date();
      const statuses = await Promise.all(set.valid.map((playbook) => playbookStatus(playbook, { store, now, graceMs })));
      const code = set.invalid.length ? 2 : statusExitCode(statuses);
      if (opts.json) {
        io.out(jsonText({ status: STATUS_WORDS[code], exit_code: code, playbooks: statuses, invalid: set.invalid.map((bad) => bad.name) }));
        return code;
      }
      io.out(formatTable(statuses.map((status) => row(status, localeIsUtf8(io.env)))));
      io.out(summary(statuses, set.invalid.map((bad) => bad.name), code));
      return code;
    }));
}
