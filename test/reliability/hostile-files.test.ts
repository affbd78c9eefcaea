import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { nameProblem } from '../../engine/playbook/name.js';
import { YamlSource } from '../../engine/playbook/source.js';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const tmp = freshTempDir();
const GOOD = 'title: Good\nschedule:\n  cron: "0 1 * * *"\nsteps:\n  - name: hi\n    type: shell\n    run: echo hi\n';

/** A playbook folder with `files` (name → text) besides one good playbook; returns its path. */
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(tmp.dir, 'playbooks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'good.yaml'), GOOD);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const cli = (dir: string, ...args: string[]) => runCli(['--dir', dir, ...args], { env: cliEnv(path.join(tmp.dir, 'state')) });

describe('hostile playbook files', () => {
  it('refuses a playbook linked to /dev/zero, or a named pipe, in one line each; list, validate and run end', async () => {
    const dir = folder();
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);

    const validate = await cli(dir, 'validate');
    expect(validate.stderr).toContain(`${dir}/zero.yaml:1:1: not a regular file (a character device): refused\n`);
    expect(validate.stderr).toContain(`${dir}/pipe.yaml:1:1: not a regular file (a named pipe): refused\n`);
    expect(validate.stdout).toMatch(/^2 of \d+ playbooks have problems/m);
    expect(validate.code).toBe(3);

    const run = await cli(dir, 'run', 'zero');
    expect(run.stderr).toContain('not a regular file (a character device): refused');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.code).toBe(3);

    const list = await cli(dir, 'list');
    expect(list.stdout).toMatch(/^pipe +invalid: not a regular file \(a named pipe\)/m);
    expect(list.stdout).toMatch(/^good +Good/m);
  });

  it('refuses a file over 1 MiB before reading it', async () => {
    const dir = folder({ 'huge.yaml': `title: x\n${'#'.repeat(50 * 1024 * 1024)}\n` });
    const result = await cli(dir, 'validate', path.join(dir, 'huge.yaml'));
    expect(result.stderr.trim()).toBe(`${dir}/huge.yaml:1:1: the file is 50.0 MiB: playbooks are limited to 1.0 MiB, refused`);
    expect(result.code).toBe(3);
  });

  it('finds a duplicate key among 80,000 in a linear pass (yaml\'s own check compares every pair)', () => {
    const keys = Array.from({ length: 80_000 }, (_, i) => `  k${i}: 1\n`).join('');
    const source = new YamlSource('many.yaml', `title: x\nvars:\n${keys}  k7: 2\n`);
    expect(source.syntaxProblems()).toEqual([{ file: 'many.yaml', line: 80_003, col: 3, message: 'Map keys must be unique' }]);
    // The same verdicts as yaml's own check on small documents (complex keys never equal).
    for (const text of ['? [a]\n: 1\n? [a]\n: 2\n', 'a: 1\nb: 2\na: 3\n', '{x: 1, x: 2}', 'a: {b: 1, "b": 2}\n', '1: a\n"1": b\n', 'a:\n  - b: 1\n    b: 2\n']) {
      const yaml = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY').length;
      expect(new YamlSource('t.yaml', text).syntaxProblems().length, text).toBe(yaml);
    }
  });

  it('does not walk the whole disk for --dir /', async () => {
    const result = await cli('/', 'list');
    expect(result.stderr.trim()).toBe('runbook: / is not a playbook folder: more than 10000 entries or 8 levels of folders below it; give the folder holding the playbooks');
    expect(result.code).toBe(3);
  });
});

describe('files a run appends to', () => {
  it('the notify file channel refuses a symbolic link planted where its file should be', async () => {
    const victim = path.join(tmp.dir, 'victim');
    writeFileSync(victim, 'untouched\n');
    const planted = path.join(tmp.dir, 'alerts.log');
    symlinkSync(victim, planted);
    const dir = folder({ 'tell.yaml': `title: Tell\nsteps:\n  - name: Tell\n    type: notify\n    channel_retries: 0\n    message: hello\n    channels:\n      file: { path: ${planted} }\n` });
    const result = await cli(dir, 'run', 'tell');
    expect(result.stdout).toContain(`[WARN] Tell: file not delivered after 1 attempt: ${planted} is a symbolic link: refused`);
    expect(result.code).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
  });

  it('a named pipe planted at the `log:` or the notify file path is refused, never waited on', async () => {
    const pipe = path.join(tmp.dir, 'planted.log');
    execFileSync('mkfifo', [pipe]);
    const dir = folder({ 'both.yaml': `title: Both\nlog: ${pipe}\nsteps:\n  - name: Tell\n    type: notify\n    channel_retries: 0\n    message: hello\n    channels:\n      file: { path: ${pipe} }\n` });
    const result = await cli(dir, 'run', 'both');
    expect(result.stderr).toContain(`runbook: log ${pipe} not written: ${pipe} is a named pipe: refused`);
    expect(result.stdout).toContain(`[WARN] Tell: file not delivered after 1 attempt: ${pipe} is a named pipe: refused`);
    expect(result.code).toBe(1);
  });
});

describe('playbook names', () => {
  const evil = 'x\n* * * * * touch pwned #';

  it('a file name with a newline never reaches the crontab: cron, validate, list and run name it and refuse', async () => {
    const dir = folder({ [`${evil}.yaml`]: GOOD });
    const crontab = path.join(tmp.dir, 'crontab');
    writeFileSync(crontab, '');
    const cron = await cli(dir, 'cron', '--install', '--crontab-file', crontab);
    expect(cron.code).toBe(3);
    expect(cron.stderr).toContain(`${JSON.stringify(`${dir}/${evil}.yaml`)}:1:1: playbook name ${JSON.stringify(evil)} refused: names are letters, digits`);
    expect(execFileSync('cat', [crontab], { encoding: 'utf8' })).toBe('');

    const validate = await cli(dir, 'validate');
    expect(validate.stdout).toMatch(/^1 of \d+ playbooks have problems/m);
    const list = await cli(dir, 'list');
    expect(list.stdout).toContain(`invalid: playbook name ${JSON.stringify(evil)} refused`);
    const run = await cli(dir, 'run', evil);
    expect(run.stderr.trim()).toBe(`runbook: playbook name ${JSON.stringify(evil)} refused: names are letters, digits, \`_\`, \`.\` and \`-\` (these two not first), in folders joined by \`/\``);
    expect(run.code).toBe(3);
  });

  it('a line break in a `log` path or the folder never reaches the crontab either', async () => {
    const dir = path.join(tmp.dir, 'a\n* * * * * touch pwned #');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'logged.yaml'), GOOD.replace('steps:', 'log: "/tmp/x\\n* * * * * touch pwned"\nsteps:'));
    const crontab = path.join(tmp.dir, 'crontab');
    writeFileSync(crontab, '');
    const cron = await cli(dir, 'cron', '--install', '--crontab-file', crontab);
    expect(cron.stderr).toContain('runbook: cannot write the crontab: a line break in');
    expect(cron.code).toBe(3);
    expect(execFileSync('cat', [crontab], { encoding: 'utf8' })).toBe('');
  });

  it.each(['../good', 'a//b', '.hidden', 'a/./b', 'tab\there', '-x'])('refuses to run %j', async (name) => {
    const result = await cli(folder(), 'run', '--', name);
    expect(result.stderr).toContain(`runbook: playbook name ${JSON.stringify(name)} refused`);
    expect(result.code).toBe(3);
  });

  it('accepts the names playbooks have', () => {
    for (const name of ['db-health', 'emergency/swap-thrash', 'v1.2_x', '_draft']) expect(nameProblem(name)).toBeUndefined();
  });
});
