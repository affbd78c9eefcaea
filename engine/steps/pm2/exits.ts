import path from 'node:path';
import { linesBackward } from './lines-backward.js';
import { leadingTime } from './log-time.js';

// pm2 7's daemon writes every exit of an app to $PM2_HOME/pm2.log, and before it, when the exit
// was asked for (pm2 stop/restart/delete, a reload in fork mode, a watch or cron_restart
// restart, max_memory_restart), "Stopping app". A cluster reload's old worker exits as
// `name:_old_N`, which the pm_id pattern leaves out: it is replaced, not crashed.
const EXITED = /PM2 log: App \[(.+):(\d+)\] exited with code \[(-?\d+)\]/;
const STOPPING = /PM2 log: Stopping app:(.+) id:(\d+)$/;
// A stop asked just before the window may end inside it: read a little further back.
const STOP_MARGIN_MS = 60_000;

/** One exit of an app (`name:pm_id`): a crash unless a stop was asked for just before. */
export interface AppExit {
  key: string;
  time: number;
  code: number;
  crash: boolean;
}

/** Exits the app's own settings call normal: a code in `stop_exit_codes`, or 0 with `autorestart: false`. */
export type ExpectedExit = (key: string, code: number) => boolean;

export interface ExitLog {
  exits: AppExit[];
  /** The oldest time pm2.log still holds; later than the window's start after a flush or a rotation. */
  oldest: number;
}

/**
 * The app exits pm2.log records from `since` on, read backwards from the end so a huge pm2.log
 * costs only its tail. Undefined when pm2.log has no times we can read (a custom
 * PM2_LOG_DATE_FORMAT, or no pm2.log at all).
 */
export async function exitsSince(opts: { home: string; since: number }): Promise<ExitLog | undefined> {
  const recent: { time: number; line: string }[] = [];
  let oldest: number | undefined;
  for await (const line of linesBackward(path.join(opts.home, 'pm2.log'))) {
    const time = leadingTime(line);
    if (time === undefined) continue;
    oldest = time;
    if (time < opts.since - STOP_MARGIN_MS) break;
    recent.push({ time, line });
  }
  if (oldest === undefined) return undefined;

  const exits: AppExit[] = [];
  const stopping = new Set<string>();
  for (const { time, line } of recent.reverse()) {
    const stop = STOPPING.exec(line);
    if (stop) stopping.add(`${stop[1]}:${stop[2]}`);
    const exit = EXITED.exec(line);
    if (!exit) continue;
    const key = `${exit[1]}:${exit[2]}`;
    const asked = stopping.delete(key);
    if (time >= opts.since) exits.push({ key, time, code: Number(exit[3]), crash: !asked });
  }
  return { exits, oldest };
}

/** Per process (`name:pm_id`): its crashes and its asked-for (or expected) exits from `since` on. */
export function countExits(log: ExitLog, since: number, expected: ExpectedExit = () => false): Map<string, { crashes: number; asked: number }> {
  const counts = new Map<string, { crashes: number; asked: number }>();
  for (const exit of log.exits) {
    if (exit.time < since) continue;
    const count = counts.get(exit.key) ?? { crashes: 0, asked: 0 };
    if (exit.crash && !expected(exit.key, exit.code)) count.crashes++;
    else count.asked++;
    counts.set(exit.key, count);
  }
  return counts;
}

/** Crashes per process (`name:pm_id`) within the last `withinMs`: the crash-loop count. Undefined when pm2.log has no times. */
export async function recentCrashes(opts: { home: string; withinMs: number; now: number }): Promise<Map<string, number> | undefined> {
  const since = opts.now - opts.withinMs;
  const log = await exitsSince({ home: opts.home, since });
  return log && new Map([...countExits(log, since)].map(([key, count]) => [key, count.crashes]));
}
