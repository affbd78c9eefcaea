import { describe, expect, it } from 'vitest';
import { cadenceOf } from '../../engine/schedule/cadence.js';
import { parseSchedule } from '../../engine/schedule/next.js';
import { scheduleLine, scheduleWords } from '../../engine/schedule/words.js';

const words = async (cron: string, timezone?: string) => scheduleWords(await parseSchedule({ cron, timezone }));

describe('schedules in words', () => {
  it.each([
    ['0 0 * * 1', 'Monday 00:00 UTC'],
    ['0 2 * * 3', 'Wednesday 02:00 UTC'],
    ['30 1 * * *', 'every day 01:30 UTC'],
    ['0 * * * *', 'every hour at :00'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['0 */6 * * *', 'every 6 hours at :00'],
    ['0 6,18 * * *', 'every day 06:00 and 18:00 UTC'],
    ['0 2 * * 1-5', 'Monday to Friday 02:00 UTC'],
    ['0 2 * * 1,4', 'Monday and Thursday 02:00 UTC'],
    ['0 0 * * 7', 'Sunday 00:00 UTC'],
    ['0 9 1 * *', '1st of every month 09:00 UTC'],
    ['0 9 1 1,4,7,10 *', '1st of January, April, July and October 09:00 UTC'],
    ['0 12 13 * 5', '13th of every month and every Friday 12:00 UTC'],
    ['0 9 * * 5#1', 'first Friday of the month 09:00 UTC'],
    ['0 9 * 1,4,7,10 1#1', 'first Monday of the quarter 09:00 UTC'],
  ])('%s is "%s"', async (cron, expected) => {
    expect(await words(cron)).toBe(expected);
  });

  it('names the timezone of a fixed time', async () => {
    expect(await words('30 9 * * *', 'Europe/Paris')).toBe('every day 09:30 Europe/Paris');
  });

  it('leaves what words would blur as cron: steps in a day field ANDed by cron, long lists', async () => {
    expect(await words('0 6 */2 * 1')).toBeUndefined();
    expect(await words('0 1,3,5,7,9 * * *')).toBeUndefined();
    expect(scheduleLine(await parseSchedule({ cron: '0 6 */2 * 1', timezone: 'Europe/Paris' }))).toBe('`0 6 */2 * 1` (Europe/Paris)');
  });

  it('says both forms in one line', async () => {
    expect(scheduleLine(await parseSchedule({ cron: '0 0 * * 1' }))).toBe('Monday 00:00 UTC, `0 0 * * 1`');
  });
});

describe('cadences (how the document groups playbooks)', () => {
  it.each([
    ['0 0 * * 1', 'weekly'],
    ['30 1 * * *', 'daily'],
    ['0 * * * *', 'hourly'],
    ['*/5 * * * *', 'hourly'],
    ['0 9 1 * *', 'monthly'],
    ['0 9 1 1,4,7,10 *', 'quarterly'],
    ['0 9 1 1 *', 'other'],
    ['0 9 * * 5#1', 'monthly'],
    ['0 9 * 1,4,7,10 1#1', 'quarterly'],
  ])('%s is %s', async (cron, cadence) => {
    expect(cadenceOf(await parseSchedule({ cron }))).toBe(cadence);
  });
});
