import { describe, expect, it } from 'vitest';
import { cronFirings, firingTable, tableFirings } from '../../engine/schedule/firing-table.js';

const MINUTE = 60_000;
const SCHEDULES = [
  { cron: '* * * * *' },
  { cron: '0 * * * *' },
  { cron: '*/5 * * * *', timezone: 'Europe/Berlin' },
  { cron: '0 9 * * 5#1' },
  { cron: '30 2 * * *', timezone: 'America/New_York' },
];

describe('a firing table (what the dashboard server reads instead of cron-parser)', () => {
  it('answers next and last as cron-parser does, anywhere in its window, firings on the minute included', async () => {
    const from = Date.parse('2026-03-29T00:50:00.000Z'); // Berlin's clocks go forward at 01:00 UTC
    const until = from + 25 * MINUTE;
    for (const schedule of SCHEDULES) {
      const table = tableFirings(await firingTable(schedule, { from, until }), schedule);
      const cron = cronFirings(schedule);
      for (let at = from; at <= until; at += 7.5 * MINUTE / 3) {
        for (const time of [new Date(at), new Date(Math.floor(at / MINUTE) * MINUTE)]) {
          expect([await table.after(time), await table.before(time)], `${schedule.cron} at ${time.toISOString()}`)
            .toEqual([await cron.after(time), await cron.before(time)]);
        }
      }
    }
  });

  it('asks cron-parser outside its window', async () => {
    const schedule = { cron: '0 * * * *' };
    const table = tableFirings({ from: 0, until: 1, times: [] }, schedule);
    expect(await table.after(new Date('2026-01-01T10:30:00Z'))).toEqual(new Date('2026-01-01T11:00:00Z'));
  });
});
