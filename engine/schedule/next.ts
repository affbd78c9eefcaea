/** A playbook's schedule, as the format declares it. */
export interface Schedule {
  cron: string;
  timezone?: string;
}

/** One field of a cron expression: what was written and the values it stands for. */
export interface CronField {
  raw: string;
  /** Numeric values only: `L` and `5L` forms are left out. Sunday is 0 (7 is folded into 0). */
  values: number[];
  /** Written as `*`: no restriction at all. */
  any: boolean;
}

/** A schedule parsed once, for words, cadences and firing times. */
export interface ParsedSchedule {
  cron: string;
  timezone: string;
  minute: CronField;
  hour: CronField;
  dayOfMonth: CronField;
  month: CronField;
  dayOfWeek: CronField;
}

// Loaded on first use: most commands never need cron-parser. A bundled chunk of it exports only
// a default (module.exports); loaded as a package (the tests import the sources), its ES build
// has the named export.
const cronParser = () => import('cron-parser').then((module) => module.default?.CronExpressionParser ?? module.CronExpressionParser);

export async function parseSchedule(schedule: Schedule): Promise<ParsedSchedule> {
  const parser = await cronParser();
  const timezone = schedule.timezone ?? 'UTC';
  const { fields } = parser.parse(schedule.cron, { tz: timezone });
  const raw = schedule.cron.trim().split(/\s+/);
  const field = (index: number, values: readonly (number | string)[]): CronField => {
    const numbers = values.filter((v): v is number => typeof v === 'number').map((v) => (index === 4 && v === 7 ? 0 : v));
    return { raw: raw[index]!, values: [...new Set(numbers)].sort((a, b) => a - b), any: raw[index] === '*' };
  };
  return {
    cron: schedule.cron,
    timezone,
    minute: field(0, fields.minute.values),
    hour: field(1, fields.hour.values),
    dayOfMonth: field(2, fields.dayOfMonth.values),
    month: field(3, fields.month.values),
    dayOfWeek: field(4, fields.dayOfWeek.values),
  };
}

// Debian's (Vixie) cron ORs day-of-month and day-of-week only when neither field starts with
// `*`; cron-parser ORs whenever neither is exactly `*`. They differ for `*/2` in one day field
// and a restriction in the other, where cron ANDs: `0 0 */2 * 1` is odd-numbered Mondays.
function cronAndsDays(parsed: ParsedSchedule): boolean {
  const { dayOfMonth, dayOfWeek } = parsed;
  return !dayOfMonth.any && !dayOfWeek.any && (dayOfMonth.raw.startsWith('*') || dayOfWeek.raw.startsWith('*'));
}

// Enough candidates to find any AND-ed day combination (a few years of daily candidates).
const MAX_CANDIDATES = 5000;

/** Firing times the way Debian's cron computes them, walking forward or back from `from`. */
export async function firings(schedule: Schedule, opts: { from: Date; count: number; direction: 'next' | 'prev' }): Promise<Date[]> {
  const parser = await cronParser();
  const parsed = await parseSchedule(schedule);
  const expression = parser.parse(schedule.cron, { currentDate: opts.from, tz: parsed.timezone });
  const both = cronAndsDays(parsed);
  const found: Date[] = [];
  for (let seen = 0; found.length < opts.count && seen < MAX_CANDIDATES; seen++) {
    const candidate = opts.direction === 'next' ? expression.next() : expression.prev();
    if (both && !(parsed.dayOfMonth.values.includes(candidate.getDate()) && parsed.dayOfWeek.values.includes(candidate.getDay()))) continue;
    found.push(candidate.toDate());
  }
  return found;
}

/** The next `count` times the schedule fires after `from`. */
export function nextRuns(schedule: Schedule, count: number, from = new Date()): Promise<Date[]> {
  return firings(schedule, { from, count, direction: 'next' });
}

/** The last time the schedule fired before `before`, if it ever did within reach. */
export async function previousRun(schedule: Schedule, before: Date): Promise<Date | undefined> {
  return (await firings(schedule, { from: before, count: 1, direction: 'prev' }))[0];
}
