import type { CronField, ParsedSchedule } from './next.js';

/**
 * Cron expressions in words for the common shapes ("Monday 00:00 UTC", "every hour at :00");
 * anything else stays a cron expression, which operators read anyway.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NTH = ['', 'first', 'second', 'third', 'fourth', 'fifth'];
// Month fields that start each quarter: "first Monday of the quarter".
const QUARTERS = ['1,4,7,10', 'jan,apr,jul,oct', 'JAN,APR,JUL,OCT'];
// Past this many values a list in words is harder to read than the cron field.
const MAX_LISTED = 4;

/** "a, b and c". */
export function joinWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const step = (field: CronField) => /^\*\/(\d+)$/.exec(field.raw)?.[1];
const allDaysOfWeek = (field: CronField) => field.any || field.values.length === 7;

/** Day-of-week numbers in the order operators think of them: Monday first, Sunday last. */
export function mondayFirst(day: number): number {
  return (day + 6) % 7;
}

function dayList(field: CronField): string {
  const days = [...field.values].sort((a, b) => mondayFirst(a) - mondayFirst(b));
  const consecutive = days.every((day, i) => i === 0 || mondayFirst(day) === mondayFirst(days[i - 1]!) + 1);
  if (days.length >= 3 && consecutive) return `${DAYS[days[0]!]} to ${DAYS[days.at(-1)!]}`;
  return joinWords(days.map((day) => DAYS[day]!));
}

/** When in the day it fires: "00:00 UTC", "06:00 and 18:00 UTC", "every hour at :00", "every 15 minutes". */
export function timeWords(parsed: ParsedSchedule): string | undefined {
  const { minute, hour } = parsed;
  if (minute.any) return hour.any ? 'every minute' : undefined;
  const minuteStep = step(minute);
  if (minuteStep) return hour.any ? `every ${minuteStep} minutes` : undefined;
  if (minute.values.length > MAX_LISTED) return undefined;
  const atMinutes = joinWords(minute.values.map((m) => `:${pad(m)}`));
  if (hour.any) return `every hour at ${atMinutes}`;
  const hourStep = step(hour);
  if (hourStep && 24 % Number(hourStep) === 0) return `every ${hourStep} hours at ${atMinutes}`;
  const times = hour.values.flatMap((h) => minute.values.map((m) => `${pad(h)}:${pad(m)}`));
  return times.length <= MAX_LISTED ? `${joinWords(times)} ${parsed.timezone}` : undefined;
}

/** Which days it fires: "Monday", "Monday to Friday", "every day", "1st of every month". */
export function dayWords(parsed: ParsedSchedule): string | undefined {
  const { dayOfMonth, month, dayOfWeek } = parsed;
  const months = month.any ? undefined : month.values.length <= MAX_LISTED ? joinWords(month.values.map((m) => MONTHS[m - 1]!)) : undefined;
  if (!month.any && !months) return undefined;
  const dates = dayOfMonth.values.length <= MAX_LISTED && !dayOfMonth.raw.startsWith('*') ? joinWords(dayOfMonth.values.map(ordinal)) : undefined;
  const nth = /^([0-7])#([1-5])$/.exec(dayOfWeek.raw);
  if (nth && dayOfMonth.any) return `${NTH[Number(nth[2])]} ${DAYS[Number(nth[1]) % 7]} of ${QUARTERS.includes(month.raw) ? 'the quarter' : months ? `${months}` : 'the month'}`;
  if (dayOfMonth.any && allDaysOfWeek(dayOfWeek)) return months ? `every day in ${months}` : 'every day';
  if (dayOfMonth.any) return `${dayList(dayOfWeek)}${months ? ` in ${months}` : ''}`;
  if (!dates) return undefined;
  const ofMonths = `${dates} of ${months ?? 'every month'}`;
  if (allDaysOfWeek(dayOfWeek)) return ofMonths;
  // Both day fields restricted and neither starts with `*`: cron fires on either (see next.ts).
  return dayOfWeek.raw.startsWith('*') ? undefined : `${ofMonths} and every ${dayList(dayOfWeek)}`;
}

/** The schedule in words ("Monday 00:00 UTC"), or undefined when only the cron expression says it well. */
export function scheduleWords(parsed: ParsedSchedule): string | undefined {
  const days = dayWords(parsed);
  const time = timeWords(parsed);
  if (!days || !time) return undefined;
  if (!time.startsWith('every')) return `${days} ${time}`;
  return days === 'every day' ? time : `${days}, ${time}`;
}

/** "Monday 00:00 UTC, `0 0 * * 1`" (the words only when they say it exactly). */
export function scheduleLine(parsed: ParsedSchedule): string {
  const words = scheduleWords(parsed);
  const zone = parsed.timezone === 'UTC' ? '' : ` (${parsed.timezone})`;
  return words ? `${words}, \`${parsed.cron}\`` : `\`${parsed.cron}\`${zone}`;
}
