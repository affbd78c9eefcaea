import type { ParsedSchedule } from './next.js';
import { mondayFirst } from './words.js';

/** How often a schedule fires, as the maintenance document groups playbooks. */
export type Cadence = 'weekly' | 'daily' | 'hourly' | 'monthly' | 'quarterly' | 'other';

const isQuarterly = (months: number[]) => months.length === 4 && months.every((m, i) => i === 0 || m - months[i - 1]! === 3);

export function cadenceOf(parsed: ParsedSchedule): Cadence {
  const { minute, hour, dayOfMonth, month, dayOfWeek } = parsed;
  const everyWeekday = dayOfWeek.any || dayOfWeek.values.length === 7;
  const interval = minute.raw.startsWith('*') || hour.raw.startsWith('*');
  // "First Friday" (`5#1`) comes once a month, or once a quarter in the quarters' first months.
  if (dayOfMonth.any && /#/.test(dayOfWeek.raw)) return month.any ? 'monthly' : isQuarterly(month.values) ? 'quarterly' : 'other';
  if (dayOfMonth.any && everyWeekday && month.any) return interval ? 'hourly' : 'daily';
  if (dayOfMonth.any && month.any) return 'weekly';
  if (!dayOfMonth.any && everyWeekday) {
    if (month.any) return 'monthly';
    if (isQuarterly(month.values)) return 'quarterly';
  }
  return 'other';
}

/** Orders schedules of a cadence: by first weekday (Monday first), then time of day. */
export function scheduleSortKey(parsed: ParsedSchedule): number {
  const { minute, hour, dayOfWeek } = parsed;
  const day = dayOfWeek.any ? 0 : Math.min(...dayOfWeek.values.map(mondayFirst));
  return day * 24 * 60 + (hour.values[0] ?? 0) * 60 + (minute.values[0] ?? 0);
}
