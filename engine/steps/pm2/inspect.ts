import type { ProcessDescription } from 'pm2';
import type { Pm2Step } from '../../playbook/types.generated.js';
import { formatDuration, parseDuration } from '../../duration.js';
import { formatBytes, formatTable } from '../../template/helpers.js';
import type { StepOutcome, StepRunContext } from '../types.js';
import { crashesSincePrevious, crashTotals, expectedExits, previousCheck } from './crashes.js';
import { countExits, exitsSince } from './exits.js';
import { limitOf, memoryLimits } from './memory-limits.js';
import { culprits, envOf, judge, processRow, summary, withRestartDeltas, type ProcessRow } from './processes.js';

export const CRASH_LOOP_DEFAULTS = { restarts: 5, within: '5m' };

/** The previous run's view of this step (matched by id), if any. */
function previousOutput(ctx: StepRunContext<Pm2Step>): Record<string, unknown> | undefined {
  return ctx.step.id ? ctx.context.previous?.steps[ctx.step.id]?.output : undefined;
}

/** The contract's process table for `procs`, with restarts since the same step of the previous run. */
export function tableOf(procs: ProcessDescription[], ctx: StepRunContext<Pm2Step>) {
  const now = Date.now();
  return summary(withRestartDeltas(procs.map((proc) => processRow(proc, now)), previousOutput(ctx)?.processes));
}

export function logTable(rows: ProcessRow[], log: (line: string) => void): void {
  const cells = rows.map((row) => ({
    name: row.name,
    id: row.pm_id,
    status: row.status,
    restarts: row.restarts,
    memory: formatBytes(row.memory_bytes),
    cpu: `${row.cpu_percent}%`,
    uptime: row.status === 'online' ? formatDuration(row.uptime_ms) : '-',
  }));
  if (cells.length) formatTable(cells).split('\n').forEach((line) => log(line));
}

/** What `describe` adds to each row: where the process runs and logs, and how it last ended. */
function details(proc: ProcessDescription) {
  const env = envOf(proc);
  return {
    pid: proc.pid ?? 0,
    script: env.pm_exec_path ?? null,
    cwd: env.pm_cwd ?? null,
    exec_mode: env.exec_mode ?? null,
    out_log: env.pm_out_log_path ?? null,
    err_log: env.pm_err_log_path ?? null,
    unstable_restarts: env.unstable_restarts ?? 0,
    last_exit_code: env.exit_code ?? null,
    started_at: typeof env.pm_uptime === 'number' ? new Date(env.pm_uptime).toISOString() : null,
  };
}

/**
 * `list` and `describe`: the table; each process's crashes (exits nobody asked for, from
 * pm2.log) since the previous run of the step and within the crash-loop window; the processes
 * using the most memory and CPU; and the verdict (critical when a process is not online or
 * crash-loops, warn when one is stopped).
 */
export async function inspect(opts: { procs: ProcessDescription[]; home: string; ctx: StepRunContext<Pm2Step>; detailed: boolean }): Promise<StepOutcome> {
  const { ctx } = opts;
  const { restarts, within } = { ...CRASH_LOOP_DEFAULTS, ...ctx.step.crash_loop };
  const now = Date.now();
  const table = tableOf(opts.procs, ctx);
  const loopStart = now - parseDuration(within);
  const since = previousCheck(ctx.context.previous, previousOutput(ctx));
  const log = await exitsSince({ home: opts.home, since: Math.min(loopStart, since ?? loopStart) });
  if (!log) ctx.log('crash check unavailable: pm2.log has no exit times to read', 'stderr');
  const expected = expectedExits(opts.procs);
  const loops = log && countExits(log, loopStart, expected);
  const crashes = crashesSincePrevious({ log, since, rows: table.processes, expected, say: (line) => ctx.log(line, 'stderr') });
  logTable(table.processes, ctx.log);
  const processes = table.processes.map((row, i) => {
    const extra = opts.detailed ? details(opts.procs[i]!) : {};
    if (opts.detailed) ctx.log(`${row.name}: ${Object.entries(extra).map(([key, value]) => `${key}=${value}`).join(' ')}`);
    const key = `${row.name}:${row.pm_id}`;
    return { ...row, max_memory_bytes: limitOf(opts.procs[i]!) ?? null, crashes_since_previous: crashes.get(key) ?? 0, recent_restarts: loops ? loops.get(key)?.crashes ?? 0 : null, ...extra };
  });
  const looping = processes
    .filter((row) => row.recent_restarts !== null && row.recent_restarts > restarts)
    .sort((a, b) => b.recent_restarts! - a.recent_restarts!);
  const verdict = judge(table.processes, looping.map((row) => ({ name: row.name, restarts: row.recent_restarts!, within })));
  return {
    ...verdict,
    value: table.online,
    output: {
      ...table,
      processes,
      pm2_running: true,
      checked_at: new Date(now).toISOString(),
      ...crashTotals(processes),
      crash_looping: looping.map((row) => row.name),
      crash_loop_culprit: looping[0]?.name ?? '',
      ...culprits(table.processes),
      ...memoryLimits(opts.procs),
    },
  };
}
