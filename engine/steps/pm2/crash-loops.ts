import path from 'node:path';
import { linesBackward } from './lines-backward.js';
import { leadingTime } from './log-time.js';

// The daemon logs every exit of an app, and every stop it was asked for, with its time.
const EXITED = /PM2 log: App \[(.+):(\d+)\] exited with code/;
const STOPPING = /PM2 log: Stopping app:(.+) id:(\d+)$/;
// A stop asked just before the window may end inside it: read a little further back.
const STOP_MARGIN_MS = 60_000;

/**
 * Crash restarts per process (`name:pm_id`) within the last `withinMs`, from the restart times
 * the daemon writes to `$PM2_HOME/pm2.log`; an exit that follows a stop, restart or reload
 * someone asked for is not a crash. Undefined when pm2.log has no times we can read (a custom
 * PM2_LOG_DATE_FORMAT, or the file flushed away).
 */
export async function recentCrashes(opts: { home: string; withinMs: number; now: number }): Promise<Map<string, number> | undefined> {
  const windowStart = opts.now - opts.withinMs;
  const recent: { time: number; line: string }[] = [];
  let lastTime: number | undefined;
  for await (const line of linesBackward(path.join(opts.home, 'pm2.log'))) {
    const time = leadingTime(line);
    if (time === undefined) continue;
    lastTime = time;
    if (time < windowStart - STOP_MARGIN_MS) break;
    recent.push({ time, line });
  }
  if (lastTime === undefined) return undefined;

  const crashes = new Map<string, number>();
  const stopping = new Set<string>();
  for (const { time, line } of recent.reverse()) {
    const stop = STOPPING.exec(line);
    if (stop) stopping.add(`${stop[1]}:${stop[2]}`);
    const exit = EXITED.exec(line);
    if (!exit) continue;
    const key = `${exit[1]}:${exit[2]}`;
    if (stopping.delete(key) || time < windowStart) continue;
    crashes.set(key, (crashes.get(key) ?? 0) + 1);
  }
  return crashes;
}
