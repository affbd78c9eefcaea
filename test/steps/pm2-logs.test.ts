import { describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { until, usePm2Sandbox } from './pm2-sandbox.js';

const DAY = 86_400_000;
const RECENT_ERRORS = 1000;

/** A stamp as pm2 writes it with `time: true`: dayjs YYYY-MM-DDTHH:mm:ss, local time. */
function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * 100,000 stamped lines (~9 MiB, several read chunks): half ten days old, half an hour old; one
 * line in 100 is an ERROR followed by an unstamped stack line that also says ERROR and takes the
 * stamp above it. Before them, a line from before timestamps were turned on.
 */
function timedHistory(): string {
  const lines = ['ERROR from before time: true was set'];
  for (const [age, label] of [[10 * DAY, 'old'], [3_600_000, 'recent']] as const) {
    const at = stamp(new Date(Date.now() - age));
    for (let i = 0; i < 50_000; i++) {
      if (i % 100 === 0) lines.push(`${at}: ERROR ${label} failure ${i}`, `    at ERROR_FRAME (${label}.js:${i}:1)`);
      else lines.push(`${at}: INFO ${label} request ${i} served in ${i % 97}ms for user ${(i * 31) % 977}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const pm2 = usePm2Sandbox(async (sandbox) => {
  // Logs written before the apps start: pm2 appends to them.
  mkdirSync(sandbox.logs, { recursive: true });
  writeFileSync(path.join(sandbox.logs, 'errors-timed-error.log'), timedHistory());
  writeFileSync(path.join(sandbox.logs, 'errors-plain-error.log'), 'ERROR plain, written long ago\nERROR plain, also old\n');
  const oldJson = JSON.stringify({ message: 'ERROR from a JSON log ten days ago\n', timestamp: new Date(Date.now() - 10 * DAY).toISOString(), type: 'err' });
  writeFileSync(path.join(sandbox.logs, 'errors-json-error.log'), `${oldJson}\n`);
  await sandbox.start('ecosystem.config.cjs');
  await sandbox.start('json.config.cjs');
  await until('the ERROR apps to write their lines', () => ['errors-timed', 'errors-plain', 'errors-json'].every((name) => {
    const out = path.join(sandbox.logs, `${name}-out.log`);
    return existsSync(out) && readFileSync(out, 'utf8').includes('errors: done writing');
  }));
});

async function logs(extra: string) {
  pm2.playbook('logs', `  - id: logs\n    name: Scan the logs\n    type: pm2\n    action: logs\n${extra}`);
  const run = await pm2.runJson('logs');
  expect(run.steps[0]!.status).toBe('ok');
  return run.steps[0]!.output;
}

describe('pm2 logs', () => {
  it('counts ERROR lines in the window by their pm2 timestamps, or by file mtime when there are none', async () => {
    const output = await logs('    since: 7d\n');
    // errors-timed: the recent ERROR lines and their stack lines, plus the three the app just wrote.
    // errors-plain has no timestamps and was written just now: every line counts.
    expect(output.by_process).toMatchObject({ stable: 0, 'errors-timed': RECENT_ERRORS + 3, 'errors-plain': 2 + 3 });
    expect(output.matches).toBe(RECENT_ERRORS + 3 + 5 + output.by_process['errors-json']);
    expect(output.time_sources).toEqual({ stable: 'appended', 'errors-timed': 'timestamps', 'errors-plain': 'appended', 'errors-json': 'timestamps' });
    expect(output.time_source).toBe('mixed');
    expect(output.pattern).toBe('ERROR');
    expect(Date.parse(output.since)).toBeLessThan(Date.now() - 7 * DAY + 60_000);
  });

  it('reads the time of JSON log lines from their timestamp field', async () => {
    const recent = await logs('    process: errors-json\n    since: 7d\n');
    const all = await logs('    process: errors-json\n');
    // How pm2 groups the app's writes into JSON lines varies; the old line is the difference.
    expect(recent.matches).toBeGreaterThan(0);
    expect(all.matches).toBe(recent.matches + 1);
    expect(all.lines[0]).toContain('ERROR from a JSON log ten days ago');
  });

  it('counts every line without `since`', async () => {
    const output = await logs('');
    expect(output.by_process['errors-timed']).toBe(1 + 2 * RECENT_ERRORS + 3);
    expect(output.since).toBeNull();
  });

  it('keeps the last `lines` matching lines, named by process, and prints them', async () => {
    pm2.playbook('tail', '  - id: logs\n    name: Scan the logs\n    type: pm2\n    action: logs\n    process: errors-timed\n    lines: 2\n');
    const result = await pm2.run('tail');
    expect(result.stdout).toContain('| errors-timed: 2004 lines match /ERROR/ (times from timestamps)');
    expect(result.stdout).toMatch(/\| errors-timed \| \S+: ERROR errors: payment webhook failed again\n/);
    const output = (await pm2.runJson('tail')).steps[0]!.output;
    expect(output.lines).toHaveLength(2);
    expect(output.lines[1]).toMatch(/^errors-timed \| \S+: ERROR errors: payment webhook failed again$/);
    expect(Object.keys(output.by_process)).toEqual(['errors-timed']);
  });

  it('takes a regular expression, and ignore_case as grep -i does', async () => {
    const regex = await logs('    process: errors-plain\n    pattern: "payment webhook failed( again)?$"\n');
    expect(regex.matches).toBe(2);
    const anyCase = await logs("    process: errors-plain\n    pattern: '\\berror\\b'\n    ignore_case: true\n");
    // The two old ERROR lines, the app's two, and "Error: socket hang up" (not "errors:" nor "ERROR_HANDLER").
    expect(anyCase.matches).toBe(5);
  });

  it('counts a log without timestamps from where the previous scan stopped: old ERROR lines once, then only what is appended', async () => {
    const file = path.join(pm2.logs, 'errors-plain-error.log');
    // A first scan has nothing to count from: the whole file, and the message says how to do better.
    pm2.playbook('unstamped', '  - id: scan\n    name: ERROR lines this week\n    type: pm2\n    action: logs\n    process: errors-plain\n    since: 7d\n');
    const run1 = await pm2.run('unstamped');
    expect(run1.stdout).toContain(`| ${file} has no timestamps: counted the whole file (first scan)`);
    expect(run1.stdout).toContain('[OK] ERROR lines this week: 5 lines match /ERROR/; logs without timestamps: errors-plain-out.log, errors-plain-error.log: the whole file (first scan); turn on timestamps with `time: true` in the ecosystem file (or `pm2 start --time`) to window them by time');

    const run2 = await pm2.run('unstamped');
    expect(run2.stdout).toMatch(/\[OK\] ERROR lines this week: 0 lines match \/ERROR\/; logs without timestamps: errors-plain-out\.log, errors-plain-error\.log: what was appended since the scan at \d{4}-\S+; turn on timestamps/);
    expect(run2.stdout).toMatch(new RegExp(`\\| ${file} has no timestamps: counted what was appended since the scan at \\d{4}-`));

    appendFileSync(file, 'ERROR appended after the scan\n');
    expect((await pm2.runJson('unstamped')).steps[0]!.value).toBe(1);

    // Truncated (as pm2-logrotate's copy-and-truncate does) and written again: the new content counts.
    writeFileSync(file, 'ERROR after truncation\n');
    const truncated = await pm2.runJson('unstamped');
    expect(truncated.steps[0]!.value).toBe(1);
    expect(truncated.steps[0]!.output.unstamped[file]).toMatch(/^the whole file \(rotated or truncated since the scan at /);

    // Rotated (renamed away, a new file in its place, longer than the old one): the new file whole.
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'INFO a longer first line than the old file had, so that the offset alone would not tell\nERROR one\nERROR two\n');
    expect((await pm2.runJson('unstamped')).steps[0]!.value).toBe(2);
    // A dry run reads but does not move the mark on.
    appendFileSync(file, 'ERROR three\n');
    await pm2.run('unstamped', ['--dry-run']);
    expect((await pm2.runJson('unstamped')).steps[0]!.value).toBe(1);
  });

  it('skips a log without timestamps that was last written before the window', async () => {
    await pm2.pm2(['stop', 'errors-plain']);
    const tenDaysAgo = new Date(Date.now() - 10 * DAY);
    for (const stream of ['out', 'error']) utimesSync(path.join(pm2.logs, `errors-plain-${stream}.log`), tenDaysAgo, tenDaysAgo);
    expect((await logs('    process: errors-plain\n    since: 7d\n')).matches).toBe(0);
    // Without `since` every line counts (the test above rewrote the error log).
    const errorLines = readFileSync(path.join(pm2.logs, 'errors-plain-error.log'), 'utf8').split('\n').filter((line) => line.includes('ERROR'));
    expect((await logs('    process: errors-plain\n')).matches).toBe(errorLines.length);
  });
});
