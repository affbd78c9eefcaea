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
  it('prints one line per scheduled playbook between the markers: absolute CLI, schedule, log', async () => {
    const result = await cron([]);
    expect(result.code).toBe(0);
    const lines = block(result.stdout);
    expect(lines[0]).toMatch(BEGIN);
    expect(lines.at(-1)).toBe('# <<< runbook <<<');
    expect(lines).toContain(`0 * * * * ${BIN} --dir ${DIR} run hourly >> /var/log/runbook/hourly.log 2>&1`);
    expect(lines).toContain('# Weekly check: Monday 00:00 UTC');
    expect(lines).toContain(`0 0 * * 1 ${BIN} --dir ${DIR} run weekly >> /var/log/runbook/weekly.log 2>&1`);
    expect(lines.some((line) => line.includes('by-hand'))).toBe(false);
  });

  it('gives other timezones a CRON_TZ line after the UTC entries, sets it back, and appends only stderr to a playbook log', async () => {
    const lines = block((await cron([])).stdout);
    const zone = lines.indexOf('CRON_TZ=Europe/Paris');
    expect(zone).toBeGreaterThan(lines.findIndex((line) => line.includes(' run weekly ')));
    // The run writes its own log; sending stdout there too would double every line.
    expect(lines[zone + 2]).toBe(`30 9 * * * ${BIN} --dir ${DIR} run paris-daily > /dev/null 2>> '/tmp/runbook test logs/paris-daily.log'`);
    expect(lines.at(-2)).toBe('CRON_TZ=UTC');
  });

  it('warns when a timezone differs from the machine\'s, which Debian\'s cron ignores', async () => {
    const result = await cron([]);
    expect(result.stderr).toMatch(/warning: paris-daily is scheduled in Europe\/Paris but this machine runs in UTC/);
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

  it('refuses a schedule that Debian\'s cron would not understand', async () => {
    const dir = path.join(work.dir, 'playbooks');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'first-monday.yaml'), 'title: First Monday\nschedule: { cron: "0 0 * * 1#1" }\nsteps:\n  - { name: hi, type: shell, run: echo hi }\n');
    const result = await runCli(['--dir', dir, 'cron'], { env: cliEnv(path.join(work.dir, 'state')) });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/first-monday\.yaml: schedule `0 0 \* \* 1#1` uses `#`/);
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
    expect(block(twice)).toContain(`0 0 * * 1 ${BIN} --dir ${DIR} run weekly >> /var/log/runbook/weekly.log 2>&1`);

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
