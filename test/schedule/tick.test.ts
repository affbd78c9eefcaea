import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

// Playbooks in several zones on a box whose own zone is New York: runbook tick must fire each
// by its own expression and zone, whatever the machine's zone and across daylight saving.
const work = freshTempDir();
const SCHEDULES: Record<string, string> = {
  'paris-nine': '{ cron: "0 9 * * *", timezone: Europe/Paris }',
  'paris-gap': '{ cron: "30 2 * * *", timezone: Europe/Paris }',
  'tokyo-first': '{ cron: "0 0 1 * *", timezone: Asia/Tokyo }',
  'ny-first-friday': '{ cron: "0 21 * * 5#1", timezone: America/New_York }',
  'quarter-monday': '{ cron: "0 9 * 1,4,7,10 1#1", timezone: UTC }',
};

beforeEach(() => {
  for (const [name, schedule] of Object.entries(SCHEDULES)) {
    writeFileSync(path.join(work.dir, `${name}.yaml`), `title: ${name}\nschedule: ${schedule}\nlog: ${path.join(work.dir, `${name}.log`)}\nsteps:\n  - { name: Say hi, type: shell, run: echo hi }\n`);
  }
  writeFileSync(path.join(work.dir, 'reminder.yaml'), [
    'title: Reminder', 'schedule: { cron: "0 2 * * 3", only: remind }', `log: ${path.join(work.dir, 'reminder.log')}`, 'steps:',
    '  - { id: remind, name: Remind, type: notify, message: "the checklist", channels: { stdout: true } }',
    `  - { name: Destroy, type: shell, run: "touch ${path.join(work.dir, 'destroyed')}" }`, '',
  ].join('\n'));
});

const env = () => cliEnv(path.join(work.dir, 'state'), { TZ: 'America/New_York' });
/** The playbooks one tick at `now` started. */
async function tickAt(now: string): Promise<string[]> {
  const result = await runCli(['--dir', work.dir, 'tick', '--now', now], { env: env() });
  expect(result.stderr).toBe('');
  return [...result.stdout.matchAll(/^\S+ \S+ (\S+): started/gm)].map((match) => match[1]!);
}

describe('runbook tick', () => {
  it('fires each playbook in its own zone across a daylight saving change, month ends and nth weekdays', async () => {
    const ran: Record<string, string[]> = {};
    const ticks = [
      '2027-03-27T08:00Z', // Paris in winter time: 09:00
      '2027-03-28T00:30Z', '2027-03-28T01:00Z', '2027-03-28T01:30Z', // Paris jumps 02:00 -> 03:00: 02:30 runs once, at the jump
      '2027-03-28T07:00Z', '2027-03-28T08:00Z', // Paris in summer time: 09:00 is 07:00 UTC now
      '2027-10-31T00:30Z', '2027-10-31T01:30Z', // Paris passes 02:30 twice: once only
      '2027-02-28T15:00Z', '2027-03-01T00:00Z', // Tokyo's 1st of March begins on the 28th of February in UTC
      '2027-01-02T02:00Z', '2027-01-09T02:00Z', // 21:00 on New York's first Friday is Saturday in UTC; the second Friday is not
      '2027-04-05T09:00Z', '2027-04-12T09:00Z', '2027-05-03T09:00Z', // first Monday of the quarter only
    ];
    for (const now of ticks) ran[now] = await tickAt(now);
    expect(ran).toEqual({
      '2027-03-27T08:00Z': ['paris-nine'],
      '2027-03-28T00:30Z': [], '2027-03-28T01:00Z': ['paris-gap'], '2027-03-28T01:30Z': [],
      '2027-03-28T07:00Z': ['paris-nine'], '2027-03-28T08:00Z': [],
      '2027-10-31T00:30Z': ['paris-gap'], '2027-10-31T01:30Z': [],
      '2027-02-28T15:00Z': ['tokyo-first'], '2027-03-01T00:00Z': [],
      '2027-01-02T02:00Z': ['ny-first-friday'], '2027-01-09T02:00Z': [],
      '2027-04-05T09:00Z': ['quarter-monday'], '2027-04-12T09:00Z': [], '2027-05-03T09:00Z': [],
    });
    // The same history as `runbook run`: one record per run.
    const history = JSON.parse((await runCli(['--dir', work.dir, 'history', 'paris-gap', '--json'], { env: env() })).stdout);
    expect(history.runs).toHaveLength(2);
  }, 60_000);

  it('a reminder schedule runs only its reminder step', async () => {
    const result = await runCli(['--dir', work.dir, 'tick', '--now', '2027-03-31T02:00Z'], { env: env() });
    expect(result.stdout).toMatch(/^2027-03-31 02:00 reminder: started/m);
    expect(result.stdout).toMatch(/^2027-03-31 02:00 REMINDER OK - /m);
    const [run] = JSON.parse((await runCli(['--dir', work.dir, 'history', 'reminder', '--json'], { env: env() })).stdout).runs;
    const shown = await runCli(['show', run.run_id, '--json'], { env: env() });
    expect(JSON.parse(shown.stdout).steps.map((step: { name: string; status: string }) => `${step.name}=${step.status}`)).toEqual(['Remind=ok', 'Destroy=skipped']);
  });

  it('says when the crontab line does not tick at a minute a schedule needs', async () => {
    const result = await runCli(['--dir', work.dir, 'tick', '--minutes', '0', '--now', '2027-03-31T02:00Z'], { env: env() });
    expect(result.stderr).toMatch(/paris-gap needs the tick at minute 30, which the crontab line does not run at: runbook cron --install/);
  });
});
