import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'schedule');
const state = freshTempDir();

async function next(args: string[], tz = 'UTC'): Promise<{ playbook: string; at: string; local: string }[]> {
  const result = await runCli(['--dir', DIR, 'next', ...args, '--json'], { env: cliEnv(state.dir, { TZ: tz }) });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).firings;
}

describe('runbook next', () => {
  it('skips the months without a 31st', async () => {
    const runs = await next(['month-end', '--from', '2026-01-30T12:00:00Z', '--count', '4']);
    expect(runs.map((run) => run.at)).toEqual([
      '2026-01-31T00:00:00.000Z', '2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-07-31T00:00:00.000Z',
    ]);
  });

  it('crosses a month end and a year end', async () => {
    const runs = await next(['weekly', '--from', '2026-12-25T00:00:00Z', '--count', '2']);
    expect(runs.map((run) => run.at)).toEqual(['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
  });

  it('ORs day-of-month and day-of-week when both are restricted (the 13th or any Friday)', async () => {
    const runs = await next(['thirteenth-or-friday', '--from', '2026-02-01T00:00:00Z', '--count', '5']);
    // Friday 6, Friday 13 (both), Friday 20, Friday 27, then Friday March 6; the 13th of March is a Friday too.
    expect(runs.map((run) => run.at.slice(0, 10))).toEqual(['2026-02-06', '2026-02-13', '2026-02-20', '2026-02-27', '2026-03-06']);
    const april = await next(['thirteenth-or-friday', '--from', '2026-04-10T13:00:00Z', '--count', '2']);
    expect(april.map((run) => run.at.slice(0, 10))).toEqual(['2026-04-13', '2026-04-17']);
  });

  it("ANDs them, as Debian's cron does, when a day field starts with * (*/2 and Monday: odd-numbered Mondays)", async () => {
    const runs = await next(['odd-mondays', '--from', '2026-01-01T00:00:00Z', '--count', '4']);
    expect(runs.map((run) => run.at.slice(0, 10))).toEqual(['2026-01-05', '2026-01-19', '2026-02-09', '2026-02-23']);
  });

  it('follows the playbook timezone across daylight saving time and shows local time', async () => {
    const runs = await next(['paris-daily', '--from', '2026-03-27T12:00:00Z', '--count', '3'], 'America/New_York');
    expect(runs.map((run) => run.at)).toEqual(['2026-03-28T08:30:00.000Z', '2026-03-29T07:30:00.000Z', '2026-03-30T07:30:00.000Z']);
    expect(runs.map((run) => run.local)).toEqual(['Sat 2026-03-28 04:30 EDT', 'Sun 2026-03-29 03:30 EDT', 'Mon 2026-03-30 03:30 EDT']);
  });

  it('without a name, groups by playbook: each scheduled one with its next firings, the soonest first', async () => {
    const runs = await next(['--from', '2026-01-04T23:30:00Z', '--count', '2']);
    const times = runs.map((run) => run.at);
    expect(times).toEqual([...times].sort());
    expect(runs.filter((run) => run.playbook === 'weekly').map((run) => run.at)).toEqual(['2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z']);
    expect(runs.filter((run) => run.playbook === 'hourly')).toHaveLength(2);
    expect(runs.some((run) => run.playbook === 'by-hand')).toBe(false);

    const text = await runCli(['--dir', DIR, 'next', '--from', '2026-01-04T23:30:00Z', '--count', '1'], { env: cliEnv(state.dir, { TZ: 'UTC' }) });
    const blocks = text.stdout.trimEnd().split('\n\n');
    expect(blocks[0]!.split('\n')).toEqual(['hourly: every hour at :00, `0 * * * *`', '  UTC                       LOCAL', '  Mon 2026-01-05 00:00 UTC  Mon 2026-01-05 00:00 UTC']);
    expect(blocks.map((block) => block.split(':')[0])).toEqual(expect.arrayContaining(['hourly', 'weekly', 'paris-daily']));
    expect(new Set(blocks.map((block) => block.split(':')[0])).size).toBe(blocks.length);
  });

  it('prints UTC and local time in a table, and says when a playbook runs by hand', async () => {
    const env = cliEnv(state.dir, { TZ: 'Asia/Tokyo' });
    const table = await runCli(['--dir', DIR, 'next', 'weekly', '--from', '2026-01-01T00:00:00Z', '--count', '1'], { env });
    expect(table.stdout).toBe([
      'weekly: Monday 00:00 UTC, `0 0 * * 1`',
      'UTC                       LOCAL',
      'Mon 2026-01-05 00:00 UTC  Mon 2026-01-05 09:00 GMT+9',
      '',
    ].join('\n'));
    const byHand = await runCli(['--dir', DIR, 'next', 'by-hand'], { env });
    expect(byHand.stdout.trim()).toBe('by-hand has no schedule: it runs by hand');
    expect(byHand.code).toBe(0);
  });

  it('refuses a bad -n or --from', async () => {
    const env = cliEnv(state.dir);
    expect((await runCli(['--dir', DIR, 'next', '--count', '0'], { env })).code).toBe(3);
    const bad = await runCli(['--dir', DIR, 'next', '--from', 'yesterday'], { env });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--from yesterday: not a time/);
  });
});
