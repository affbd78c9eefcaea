import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessDescription } from 'pm2';
import { formatDuration } from '../../duration.js';
import { StepFailure } from '../failure.js';
import { lastLines } from './lines-backward.js';
import { envOf, nameOf } from './processes.js';
import type { Pm2Session } from './session.js';

const POLL_MS = 250;
/** How long a process must stay up, without a restart, to count as online (or its own `min_uptime`). */
export const SETTLE_MS = 3000;
const ERROR_TAIL = 5;

function settleOf(proc: ProcessDescription): number {
  const minUptime = envOf(proc).min_uptime;
  return typeof minUptime === 'number' ? Math.max(SETTLE_MS, minUptime) : SETTLE_MS;
}

function settled(proc: ProcessDescription, now: number): boolean {
  const env = envOf(proc);
  return env.status === 'online' && !!env.pm_uptime && now - env.pm_uptime >= settleOf(proc);
}

async function whyNotOnline(proc: ProcessDescription, restartsBefore: number | undefined): Promise<string> {
  const env = envOf(proc);
  const restarts = (env.restart_time ?? 0) - (restartsBefore ?? env.restart_time ?? 0);
  const errLog = env.pm_err_log_path;
  const tail = errLog ? await lastLines(errLog, ERROR_TAIL) : [];
  const state = env.status === 'online' ? `online for only ${formatDuration(Date.now() - (env.pm_uptime ?? Date.now()))}` : env.status ?? 'in an unknown state';
  return [
    `${nameOf(proc)} is ${state}${restarts > 0 ? `, restarted ${restarts} times while waiting` : ''}`,
    tail.length ? `; last error lines: ${tail.join(' | ')}` : '',
  ].join('');
}

/**
 * Waits until every process `pick` chooses is online and has stayed up (no restart) for the
 * settle time; fails after `withinMs` naming each process that is not, with its last error lines.
 */
export async function waitOnline(opts: {
  session: Pm2Session;
  pick: (list: ProcessDescription[]) => ProcessDescription[];
  withinMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<ProcessDescription[]> {
  const deadline = Date.now() + opts.withinMs;
  const first = opts.pick(await opts.session.list());
  const restartsBefore = new Map(first.map((proc) => [proc.pm_id, envOf(proc).restart_time]));
  opts.log(`waiting up to ${formatDuration(opts.withinMs)} for ${first.map(nameOf).join(', ') || 'no process'} to be online and stay up`);
  for (;;) {
    const procs = opts.pick(await opts.session.list());
    const now = Date.now();
    const waiting = procs.filter((proc) => !settled(proc, now));
    if (waiting.length === 0) return procs;
    if (now >= deadline || opts.signal.aborted) {
      const reasons = await Promise.all(waiting.map((proc) => whyNotOnline(proc, restartsBefore.get(proc.pm_id))));
      throw new StepFailure(`not online after ${formatDuration(opts.withinMs)}: ${reasons.join('; ')}`);
    }
    // An abort ends the nap early; the next round reports what is still not online.
    await sleep(Math.min(POLL_MS, deadline - now), undefined, { signal: opts.signal }).catch(() => undefined);
  }
}
