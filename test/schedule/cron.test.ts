import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'schedule');
const BEGIN = /^# >>> runbook >>>/;
const work = freshTempDir();

const cron = (args: string[], extra: Record<string, string> = {}) =>
  runCli(['--dir', DIR, 'cron', ...args], { env: cliEnv(path.join(work.dir, 'state'), { TZ: 'UTC', ...extra }) });

/** The lines of runbook's block in a crontab text. */
function block(text: string): string[] {
  const lines = text.split('\n');
  const begin = lines.findIndex((line) => BEGIN.test(line));
  return lines.slice(begin, lines.indexOf('# <<< runbook <<<') + 1);
}

describe('runbook cron', () => {
  it('prints one `runbook tick` line between the markers, at the minutes the schedules need, naming the folder', async () => {
    const result = await cron([]);
    expect(result.code).toBe(0);
    const lines = block(result.stdout);
    expect(lines[0]).toMatch(BEGIN);
    expect(lines.at(-1)).toBe('# <<< runbook <<<');
    // hourly :00, weekly 00:00, thirteenth 00:00, paris 09:30 (and :00, where a jump over its time runs it)...
    const ticks = lines.filter((line) => !line.startsWith('#') && !line.startsWith('CRON_TZ='));
    expect(ticks).toHaveLength(1);
    expect(ticks[0]).toMatch(new RegExp(`^(\\d+,)*\\d+ \\* \\* \\* \\* ${BIN} --dir ${DIR} tick --minutes [\\d,]+ >> /var/log/runbook/tick.log 2>&1$`));
    const minutes = ticks[0]!.split(' ')[0]!.split(',').map(Number);
    expect(minutes).toEqual(expect.arrayContaining([0, 30]));
    expect(minutes.length).toBeLessThan(10);
    expect(lines).toContain('#   weekly (Weekly check): Monday 00:00 UTC');
    expect(lines).toContain('#   paris-daily (Morning report (Paris)): every day 09:30 Europe/Paris');
    expect(lines.some((line) => line.includes('by-hand'))).toBe(false);
  });

  it('no longer warns about zones: the tick reads them, whatever cron does with CRON_TZ', async () => {
    const result = await cron([]);
    expect(result.stderr).not.toMatch(/Europe\/Paris/);
  });

  it('installs into a crontab file idempotently, keeping every other line, and uninstalls back to the original', async () => {
    const file = path.join(work.dir, 'crontab');
    const original = 'MAILTO=ops@example.com\n# backups\n15 3 * * * /usr/local/bin/backup --quiet\n';
    writeFileSync(file, original);
    const first = await cron(['--install', '--crontab-file', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^installed \d+ scheduled playbooks in the crontab$/m);
    const installed = readFileSync(file, 'utf8');
    expect(installed.startsWith(`${original}\n# >>> runbook >>>`)).toBe(true);
    expect(installed.endsWith('# <<< runbook <<<\n')).toBe(true);

    const second = await cron(['--install', '--crontab-file', file]);
    expect(second.stdout).toMatch(/the crontab is up to date/);
    expect(readFileSync(file, 'utf8')).toBe(installed);

    // A line the user adds after the block stays, and the block moves below it (its CRON_TZ must come last).
    writeFileSync(file, `${installed}0 4 * * * /usr/local/bin/rotate\n`);
    await cron(['--install', '--crontab-file', file]);
    const moved = readFileSync(file, 'utf8');
    expect(moved).toContain('15 3 * * * /usr/local/bin/backup --quiet\n0 4 * * * /usr/local/bin/rotate\n\n# >>> runbook >>>');
    expect(moved.match(/# >>> runbook >>>/g)).toHaveLength(1);

    writeFileSync(file, installed);
    expect((await cron(['--uninstall', '--crontab-file', file])).stdout).toMatch(/removed the runbook block/);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect((await cron(['--uninstall', '--crontab-file', file])).stdout).toMatch(/nothing to remove/);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('refuses to touch a crontab whose block has lost its end marker', async () => {
    const file = path.join(work.dir, 'crontab');
    writeFileSync(file, '# >>> runbook >>> managed\n0 * * * * something\n');
    const result = await cron(['--install', '--crontab-file', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/begin marker \(line 1\) but no end marker/);
    expect(readFileSync(file, 'utf8')).toBe('# >>> runbook >>> managed\n0 * * * * something\n');
  });

  it('accepts "first Monday" (1#1): runbook reads the expression, not cron, so no day rule can turn it into every Monday', async () => {
    const dir = path.join(work.dir, 'playbooks');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'first-monday.yaml'), 'title: First Monday\nschedule: { cron: "0 0 * * 1#1" }\nsteps:\n  - { name: hi, type: shell, run: echo hi }\n');
    const result = await runCli(['--dir', dir, 'cron'], { env: cliEnv(path.join(work.dir, 'state')) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('#   first-monday (First Monday): first Monday of the month 00:00 UTC');
    expect(result.stdout).toMatch(/^0 \* \* \* \* .* tick --minutes 0 >>/m);
  });
});

// The real `crontab` of a throwaway user: never the crontab of whoever runs the tests.
describe('cron --install and the user\'s own CRON_TZ', () => {
  it('after a CRON_TZ of the user, the block opens in UTC and sets the user\'s zone back; without one it sets none', async () => {
    const file = path.join(work.dir, 'berlin');
    writeFileSync(file, 'CRON_TZ=Europe/Berlin\n5 4 * * * /usr/bin/backup\n');
    await cron(['--install', '--crontab-file', file]);
    const lines = block(readFileSync(file, 'utf8'));
    expect(lines[1]).toBe('CRON_TZ=UTC');
    expect(lines.at(-2)).toBe('CRON_TZ=Europe/Berlin');
    expect(lines.at(-3)).toMatch(/ tick /);

    const plain = path.join(work.dir, 'plain');
    writeFileSync(plain, '5 4 * * * /usr/bin/backup\n');
    await cron(['--install', '--crontab-file', plain]);
    expect(block(readFileSync(plain, 'utf8'))[1]).not.toMatch(/^CRON_TZ=/);
  });
});

const canUseRealCrontab = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v crontab && command -v useradd']).status === 0;
describe.skipIf(!canUseRealCrontab)('runbook cron against the real crontab command', () => {
  const user = `rbtest${process.pid}`;
  const crontab = (...args: string[]) => spawnSync('crontab', ['-u', user, ...args], { encoding: 'utf8' });
  beforeAll(() => {
    expect(spawnSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', user]).status).toBe(0);
  });
  afterAll(() => {
    crontab('-r');
    spawnSync('userdel', [user]);
  });

  it('installs twice as once, keeps the user\'s lines, and uninstalls', async () => {
    spawnSync('crontab', ['-u', user, '-'], { input: 'MAILTO=""\n5 4 * * * /bin/true\n' });
    await cron(['--install', '--user', user]);
    const once = crontab('-l').stdout;
    await cron(['--install', '--user', user]);
    const twice = crontab('-l').stdout;
    expect(twice).toBe(once);
    expect(twice.startsWith('MAILTO=""\n5 4 * * * /bin/true\n\n# >>> runbook >>>')).toBe(true);
    expect(block(twice).some((line) => line.includes(`${BIN} --dir ${DIR} tick`))).toBe(true);

    await cron(['--uninstall', '--user', user]);
    expect(crontab('-l').stdout).toBe('MAILTO=""\n5 4 * * * /bin/true\n');
  });

  it('starts a crontab for a user who has none, and removes it again when only the block was there', async () => {
    crontab('-r');
    await cron(['--install', '--user', user]);
    expect(crontab('-l').stdout).toMatch(BEGIN);
    await cron(['--uninstall', '--user', user]);
    const after = crontab('-l');
    expect(after.status).toBe(1);
    expect(after.stderr).toMatch(/no crontab for/);
  });
});
