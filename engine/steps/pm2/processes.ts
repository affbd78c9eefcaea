import type { ProcessDescription } from 'pm2';
import { StepFailure } from '../failure.js';
import type { Level } from '../types.js';

/** One process as the `list` output shows it (the contract's fields). */
export interface ProcessRow {
  name: string;
  pm_id: number;
  status: string;
  restarts: number;
  memory_bytes: number;
  cpu_percent: number;
  /** How long it has been up now; 0 when it is not online (pm2's `pm_uptime` is when it started). */
  uptime_ms: number;
  restarts_since_previous: number;
}

/** pm2's own fields the step reads beyond its typings. */
export type Pm2Env = NonNullable<ProcessDescription['pm2_env']> & Record<string, unknown>;

export function envOf(proc: ProcessDescription): Pm2Env {
  return (proc.pm2_env ?? {}) as Pm2Env;
}

export function nameOf(proc: ProcessDescription): string {
  return proc.name ?? String(proc.pm_id);
}

export function processRow(proc: ProcessDescription, now: number): Omit<ProcessRow, 'restarts_since_previous'> {
  const env = envOf(proc);
  const status = env.status ?? 'unknown';
  return {
    name: nameOf(proc),
    pm_id: proc.pm_id ?? -1,
    status,
    restarts: env.restart_time ?? 0,
    memory_bytes: proc.monit?.memory ?? 0,
    cpu_percent: proc.monit?.cpu ?? 0,
    uptime_ms: status === 'online' && env.pm_uptime ? Math.max(0, now - env.pm_uptime) : 0,
  };
}

/** `online` counts as healthy, `stopped` as deliberately down; any other status (errored, waiting restart, launching) as not healthy. */
function isErrored(status: string): boolean {
  return status !== 'online' && status !== 'stopped';
}

/**
 * Restarts since the same step of the previous run, per process (matched by name and pm_id).
 * A process that is new, or whose counter went down (deleted and re-added, daemon restarted,
 * `pm2 reset`), counts all its current restarts. With no previous run it is 0: nothing to compare.
 */
export function withRestartDeltas(rows: Omit<ProcessRow, 'restarts_since_previous'>[], previous: unknown): ProcessRow[] {
  const before = Array.isArray(previous) ? (previous as Partial<ProcessRow>[]) : undefined;
  return rows.map((row) => {
    if (!before) return { ...row, restarts_since_previous: 0 };
    const match = before.find((old) => old.name === row.name && old.pm_id === row.pm_id);
    const old = typeof match?.restarts === 'number' ? match.restarts : undefined;
    return { ...row, restarts_since_previous: old !== undefined && row.restarts >= old ? row.restarts - old : row.restarts };
  });
}

/** The contract's counts over some processes. */
export function summary(rows: ProcessRow[]) {
  return {
    processes: rows,
    online: rows.filter((row) => row.status === 'online').length,
    stopped: rows.filter((row) => row.status === 'stopped').length,
    errored: rows.filter((row) => isErrored(row.status)).length,
    restarts_total: rows.reduce((sum, row) => sum + row.restarts, 0),
    restarts_since_previous: rows.reduce((sum, row) => sum + row.restarts_since_previous, 0),
  };
}

/** The processes `target` names: `all`, a pm_id, or a name (every instance of it). */
export function resolveTargets(list: ProcessDescription[], target: string): ProcessDescription[] {
  if (target === 'all') return list;
  const found = /^\d+$/.test(target) ? list.filter((proc) => proc.pm_id === Number(target)) : list.filter((proc) => proc.name === target);
  if (found.length > 0) return found;
  const known = [...new Set(list.map(nameOf))];
  const hint = known.length ? `known: ${known.join(', ')}` : 'PM2 manages no processes';
  throw new StepFailure(`no PM2 process named \`${target}\` (${hint})`);
}

/** The verdict on a process table: errored or crash-looping is critical, stopped is a warning. */
export function judge(rows: ProcessRow[], crashLooping: { name: string; restarts: number; within: string }[]): { level: Level; message: string } {
  const down = rows.filter((row) => isErrored(row.status)).map((row) => `${row.name} ${row.status}`);
  const looping = crashLooping.map((loop) => `${loop.name} restarted ${loop.restarts} times in ${loop.within}`);
  const stopped = rows.filter((row) => row.status === 'stopped').map((row) => `${row.name} stopped`);
  const online = rows.filter((row) => row.status === 'online').length;
  const problems = [...down, ...looping, ...stopped];
  if (rows.length === 0) return { level: 'warn', message: 'PM2 manages no processes' };
  const level: Level = down.length || looping.length ? 'critical' : stopped.length ? 'warn' : 'ok';
  return { level, message: [`PM2: ${online} of ${rows.length} online`, ...problems].join('; ') };
}

/** The online processes using the most memory and the most CPU: the culprits an emergency restarts ("" when none is online). */
export function culprits(rows: ProcessRow[]): { most_memory: string; most_cpu: string } {
  const online = rows.filter((row) => row.status === 'online');
  const most = (by: (row: ProcessRow) => number) => online.reduce<ProcessRow | undefined>((top, row) => (!top || by(row) > by(top) ? row : top), undefined)?.name ?? '';
  return { most_memory: most((row) => row.memory_bytes), most_cpu: most((row) => row.cpu_percent) };
}
