import { nextRuns, previousRun, type Schedule } from './next.js';

/**
 * A schedule's firing times over a window, worked out once where cron-parser may be loaded, so
 * that a long-running process answers "next run" and "last due" without it: cron-parser's first
 * parse loads ICU's time zone data, ~8 MiB that would stay in the dashboard's server for good.
 */
export interface FiringTable {
  /** Epoch ms: the table answers for times from `from` up to `until`. */
  from: number;
  until: number;
  /** Ascending epoch ms: the last firing before `from`, every one up to `until`, the first after. */
  times: number[];
}

export async function firingTable(schedule: Schedule, window: { from: number; until: number }): Promise<FiringTable> {
  const before = await previousRun(schedule, new Date(window.from));
  // From one ms earlier: a firing exactly at `from` is neither before it nor after it.
  let after: Date[] = [];
  for (let count = 16; ; count *= 4) {
    after = await nextRuns(schedule, count, new Date(window.from - 1));
    if (after.length < count || after.at(-1)!.getTime() > window.until) break;
  }
  const cut = after.findIndex((at) => at.getTime() > window.until);
  const times = [...(before ? [before] : []), ...(cut < 0 ? after : after.slice(0, cut + 1))].map((at) => at.getTime());
  return { ...window, times };
}

/** When a schedule fires next after a time, and last fired before one (both strictly, as cron-parser). */
export interface Firings {
  after(at: Date): Promise<Date | undefined>;
  before(at: Date): Promise<Date | undefined>;
}

/** Worked out by cron-parser at each question. */
export function cronFirings(schedule: Schedule): Firings {
  return { after: async (at) => (await nextRuns(schedule, 1, at))[0], before: (at) => previousRun(schedule, at) };
}

/** Looked up in the table; a time it does not reach (not expected: the dashboard renews it in time) is asked of cron-parser. */
export function tableFirings(table: FiringTable, schedule: Schedule): Firings {
  const covers = (at: Date) => at.getTime() >= table.from && at.getTime() <= table.until;
  const found = (time: number | undefined) => (time === undefined ? undefined : new Date(time));
  const cron = cronFirings(schedule);
  return {
    after: async (at) => (covers(at) ? found(table.times.find((time) => time > at.getTime())) : cron.after(at)),
    before: async (at) => (covers(at) ? found(table.times.findLast((time) => time < at.getTime())) : cron.before(at)),
  };
}
