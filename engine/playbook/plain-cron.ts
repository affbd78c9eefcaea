// Each field's range in a 5-field cron expression (day of week 7 is Sunday, as 0).
const BOUNDS: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether `fields` is a cron expression cron-parser accepts for certain, seen without loading it:
 * every field `*` or one number in range, and a day of month that the month has. Loading
 * cron-parser (with luxon) and its first parse (ICU's time zone data) cost ~50 ms and ~8 MB on
 * each run of an hourly playbook; anything less plain is left to it.
 */
export function plainCronIsValid(fields: string[]): boolean {
  if (fields.length !== 5) return false;
  const values = fields.map((field, i) => {
    if (field === '*') return null;
    if (!/^\d{1,2}$/.test(field)) return undefined;
    const n = Number(field);
    return n >= BOUNDS[i]![0] && n <= BOUNDS[i]![1] ? n : undefined;
  });
  if (values.includes(undefined)) return false;
  const [, , day, month] = values;
  return day == null || month == null || day <= DAYS_IN_MONTH[month - 1]!;
}
