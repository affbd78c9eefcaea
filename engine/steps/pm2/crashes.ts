import type { ProcessDescription } from 'pm2';
import type { TemplateContext } from '../../template/context.js';
import { countExits, type ExitLog, type ExpectedExit } from './exits.js';
import { envOf, nameOf, type ProcessRow } from './processes.js';

/**
 * When the previous run of the step looked: its `checked_at`, else that run's start (a record
 * from before the field, or a step that did not run). Undefined on a first run.
 */
export function previousCheck(previous: TemplateContext['previous'], output: Record<string, unknown> | undefined): number | undefined {
  if (!previous) return undefined;
  const at = Date.parse(typeof output?.checked_at === 'string' ? output.checked_at : previous.started_at);
  // pm2.log's times are whole seconds: an exit in the second of the previous check may be
  // counted by both runs, but never by neither.
  return Number.isNaN(at) ? undefined : Math.floor(at / 1000) * 1000;
}

const key = (row: ProcessRow) => `${row.name}:${row.pm_id}`;

/**
 * Crashes per process (`name:pm_id`) since the previous check: exits in pm2.log that no stop,
 * restart or reload asked for. A first run has nothing to compare with (none). Where pm2.log
 * cannot tell (no times in it, or flushed or rotated since the previous check), a restart it
 * cannot explain counts as a crash: a missed crash is worse than one false alarm.
 */
export function crashesSincePrevious(opts: { log: ExitLog | undefined; since: number | undefined; rows: ProcessRow[]; expected: ExpectedExit; say(line: string): void }): Map<string, number> {
  const { log, since, rows } = opts;
  const crashes = new Map<string, number>();
  if (since === undefined) return crashes;
  if (!log) {
    opts.say('pm2.log has no exit times to read: every restart since the previous check counts as a crash');
    for (const row of rows) crashes.set(key(row), row.restarts_since_previous);
    return crashes;
  }
  const counts = countExits(log, since, opts.expected);
  const partial = log.oldest > since;
  if (partial) {
    opts.say(`pm2.log starts at ${new Date(log.oldest).toISOString()}, after the previous check (${new Date(since).toISOString()}): restarts it cannot explain count as crashes`);
  }
  for (const row of rows) {
    const count = counts.get(key(row)) ?? { crashes: 0, asked: 0 };
    crashes.set(key(row), partial ? Math.max(count.crashes, row.restarts_since_previous - count.asked) : count.crashes);
  }
  return crashes;
}

/** The step's crash totals: how many, who (`crashed`), and a line for messages ("api 3, worker 1", or "none"). */
export function crashTotals(rows: { name: string; crashes_since_previous: number }[]) {
  const crashed = rows.filter((row) => row.crashes_since_previous > 0);
  return {
    crashes_since_previous: rows.reduce((sum, row) => sum + row.crashes_since_previous, 0),
    crashed: crashed.map((row) => row.name),
    crash_summary: crashed.map((row) => `${row.name} ${row.crashes_since_previous}`).join(', ') || 'none',
  };
}

/**
 * Exits a process's own pm2 settings make normal, so they are not crashes: a code listed in
 * `stop_exit_codes` (pm2 stops it instead of restarting), or 0 with `autorestart: false` (a job
 * that finished).
 */
export function expectedExits(procs: ProcessDescription[]): ExpectedExit {
  const settings = new Map(procs.map((proc) => {
    const env = envOf(proc);
    const codes = [env.stop_exit_codes ?? []].flat().map(Number);
    const once = env.autorestart === false || env.autorestart === 'false';
    return [`${nameOf(proc)}:${proc.pm_id}`, { codes, once }];
  }));
  return (key, code) => {
    const app = settings.get(key);
    return !!app && (app.codes.includes(code) || (app.once && code === 0));
  };
}
