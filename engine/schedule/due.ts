import { nextRuns, parseSchedule, type Schedule } from './next.js';

const MINUTE = 60_000;

/** The start of the minute `at` falls in. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
}

/** The wall-clock time in `zone` at `at`, as if it were UTC (no daylight saving in between). */
function wallClock(at: Date, zone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
  }).formatToParts(at).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
}

/** Whether the schedule, read on a clock without daylight saving, fires in [from, to). */
async function firesOnWallClock(schedule: Schedule, from: number, to: number): Promise<boolean> {
  const [next] = await nextRuns({ cron: schedule.cron, timezone: 'UTC' }, 1, new Date(from - 1));
  return next !== undefined && next.getTime() < to;
}

/**
 * Whether the schedule fires in the minute `at` falls in, read in the schedule's own zone. Around
 * daylight saving, a schedule at a fixed hour behaves as Debian's cron does: a time the clock
 * jumped over runs right after the jump, and a time the clock passes twice runs the first time only.
 */
export async function dueAt(schedule: Schedule, at: Date): Promise<boolean> {
  const minute = minuteOf(at).getTime();
  const zone = schedule.timezone ?? 'UTC';
  const [next] = await nextRuns(schedule, 1, new Date(minute - 1));
  const parsed = await parseSchedule(schedule);
  const fixedHour = !parsed.minute.raw.includes('*') && !parsed.hour.raw.includes('*');
  const wall = wallClock(new Date(minute), zone);
  const wallBefore = wallClock(new Date(minute - MINUTE), zone);
  if (next?.getTime() === minute) {
    if (!fixedHour) return true;
    // The clock went back: the same wall time a little earlier means this run already happened.
    const earlier = await nextRuns(schedule, 3, new Date(minute - 3 * 60 * MINUTE));
    return !earlier.some((time) => time.getTime() < minute && wallClock(time, zone) === wall);
  }
  // The clock jumped forward over (wallBefore, wall): what fell in between runs now.
  return fixedHour && wall - wallBefore > MINUTE && firesOnWallClock(schedule, wallBefore + MINUTE, wall);
}
