import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../support/cli.js';
import { GroupJournal, journalGroups } from '../../engine/run/group-journal.js';
import { readableCopy } from '../support/packages.js';
import { mountTmpfs, remount, unmount } from './tmpfs.js';

// A full or read-only state folder, on a real 512 KiB tmpfs: each fault ends UNKNOWN with one line,
// leaves no temporary file and no lock, and the next run works once the fault is gone.
const work = tempDir();
const disk = path.join(work.dir, 'disk');
const state = path.join(disk, 'state');
const filler = path.join(disk, 'filler');
const fillNow = path.join(work.dir, 'fill-now');
let skipReason: string | undefined;

beforeAll(() => {
  skipReason = mountTmpfs(disk, '512k');
  if (skipReason) console.warn(`state-faults skipped: ${skipReason}`);
  writeFileSync(path.join(work.dir, 'ok.yaml'), 'title: ok\nsteps:\n  - name: Say hi\n    type: shell\n    run: echo hi\n');
  // Fill the disk during the run when the marker exists: `grows` quietly, so the finished record
  // has no room; `chatty` then prints 3,000 lines, so its own step line has none.
  for (const [name, talk] of [['grows', ''], ['chatty', '; seq 1 3000']]) {
    writeFileSync(path.join(work.dir, `${name}.yaml`), [
      `title: ${name}`, 'steps:', '  - name: Before', '    type: shell', '    run: echo before',
      '  - name: Fill the disk', '    type: shell', `    run: test ! -e ${fillNow} || cat /dev/zero > ${filler} 2>/dev/null${talk} || true`,
      '  - name: After', '    type: shell', '    run: echo after', '',
    ].join('\n'));
  }
});

// A failed test must not leave the disk full for the next one.
afterEach(() => {
  rmSync(filler, { force: true });
  rmSync(fillNow, { force: true });
});

afterAll(() => {
  if (!skipReason) unmount(disk);
  work.remove();
});

const run = (name: string) => runCli(['--dir', work.dir, 'run', name], { env: cliEnv(state) });

/** Every file left in the state folder, relative to it. */
function leftovers(): string[] {
  return existsSync(state) ? (readdirSync(state, { recursive: true }) as string[]).filter((f) => /\.(tmp|new|groups)$|\.stale\.|\.lock$/.test(f)) : [];
}

/** Fills what is left of the tmpfs (dd stops at ENOSPC). */
function fillDisk(): void {
  spawnSync('sh', ['-c', `cat /dev/zero > ${filler} 2>/dev/null`]);
}

describe('a full or read-only state folder', () => {
  it('a full disk at the start: one line, exit 3, no lock left; the next run works once there is room', async (ctx) => {
    if (skipReason) return ctx.skip();
    fillDisk();
    const full = await run('ok');
    expect(full.code).toBe(3);
    expect(full.stderr).toBe(`runbook: no space left on device writing ${path.join(state, 'locks', 'ok.lock')}\n`);
    expect(leftovers()).toEqual([]);
    rmSync(filler);
    const next = await run('ok');
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('OK OK - 1 step ok');
  });

  it.for([
    ['the finished record', 'grows', '.json', ['Before', 'Fill the disk', 'After']],
    ['a step line', 'chatty', '.steps.jsonl', ['Before']],
  ] as const)('a disk that fills mid-run, leaving no room for %s: the run ends UNKNOWN saying so, and the next run files it as such, not as killed', async ([, name, file, steps], ctx) => {
    if (skipReason) return ctx.skip();
    writeFileSync(fillNow, '');
    const full = await run(name);
    rmSync(fillNow);
    expect(full.code).toBe(3);
    expect(full.stdout).toContain('[OK] Fill the disk');
    const where = path.join(state, 'runs', name, `[0-9a-f-]+${file.replace('.', '\\.')}`);
    expect(full.stdout).toMatch(new RegExp(`${name.toUpperCase()} UNKNOWN - runbook failed: no space left on device writing ${where}\n$`));
    expect(full.stderr).not.toMatch(/\bat \S+:\d+/); // no stack trace
    expect(leftovers()).toEqual([]);
    rmSync(filler);
    const next = await run(name);
    expect(next.code).toBe(0);
    const history = await runCli(['history', name, '--json'], { env: cliEnv(state) });
    const { runs } = JSON.parse(history.stdout) as { runs: { run_id: string; status: string; summary: string }[] };
    const failed = runs.find((r) => r.status === 'UNKNOWN')!;
    expect(failed.summary).toMatch(/no space left on device writing/);
    expect(failed.summary).not.toMatch(/killed/);
    const record = JSON.parse(readFileSync(path.join(state, 'runs', name, `${failed.run_id}.json`), 'utf8'));
    expect(record.steps.map((s: { name: string }) => s.name)).toEqual(steps);
  });

  it('a read-only state folder: one line, exit 3; the next run works once it is writable again', async (ctx) => {
    if (skipReason) return ctx.skip();
    remount(disk, 'ro');
    let readOnly;
    try {
      readOnly = await run('ok');
    } finally {
      remount(disk, 'rw');
    }
    expect(readOnly.code).toBe(3);
    expect(readOnly.stderr).toBe(`runbook: read-only file system writing ${path.join(state, 'locks', 'ok.lock')}\n`);
    expect(leftovers()).toEqual([]);
    expect((await run('ok')).code).toBe(0);
  });
});

describe('a lock holder\'s journal of step process groups on a full disk', () => {
  it('loses no record: one cut short reads as nothing, and what failed is written with the next', (ctx) => {
    if (skipReason) return ctx.skip();
    const file = path.join(disk, 'ok.lock.1.groups');
    const journal = new GroupJournal(file);
    // Group ids above any pid_max (2^22): no process, no start time, so each record's length is
    // known ("\n+100000000;" is 12 bytes) and the page can be filled to 4 bytes short of its end.
    try {
      for (let i = 0; i < 170; i++) {
        journal.record(100_000_000 + i, true);
        journal.record(100_000_000 + i, false);
      }
      journal.record(200_000_000, true);
      expect(statSync(file).size).toBe(4092);
      fillDisk();
      journal.record(5_000_000, true); // 10 bytes: 4 fit, the rest does not
      journal.record(200_000_000, false);
      expect(statSync(file).size).toBe(4096);
      rmSync(filler);
      journal.record(5_000_001, true);
      expect(journalGroups(file).map((group) => group.pgid)).toEqual([5_000_000, 5_000_001]);
    } finally {
      journal.close();
    }
    expect(existsSync(file)).toBe(false);
  });
});

describe('files a run killed mid-write leaves', () => {
  it('are removed by the next run of the playbook: temporary records, lock drafts, locks moved aside (others\' are kept)', async () => {
    const own = tempDir();
    try {
      const dir = path.join(own.dir, 'state');
      const dead = 99_999_999; // above any pid_max: no such process
      const planted = {
        tmp: path.join(dir, 'runs', 'ok', `index.json.${dead}.x1.tmp`),
        draft: path.join(dir, 'locks', `ok.lock.${dead}.new`),
        aside: path.join(dir, 'locks', `ok.lock.stale.${dead}`),
        other: path.join(dir, 'locks', `other.lock.${dead}.new`),
      };
      for (const file of Object.values(planted)) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, '{}');
      }
      const result = await runCli(['--dir', work.dir, 'run', 'ok'], { env: cliEnv(dir) });
      expect(result.code).toBe(0);
      expect(Object.entries(planted).filter(([, file]) => existsSync(file)).map(([what]) => what)).toEqual(['other']);
    } finally {
      own.remove();
    }
  });
});

describe('a state folder this user may not write', () => {
  it('one the user may not enter (nobody, a root-only folder): one line, exit 3', async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip('needs root to run the CLI as nobody');
    const copy = readableCopy({ args: ['--dir', work.dir, 'run', 'ok'], playbooks: [path.join(work.dir, 'ok.yaml')] });
    try {
      const locked = path.join(copy.state, 'locked');
      mkdirSync(locked, { mode: 0o700 });
      const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, copy.bin, '--dir', copy.playbooks, 'run', 'ok'], {
        cwd: copy.state, env: cliEnv(locked) as NodeJS.ProcessEnv, encoding: 'utf8',
      });
      expect(nobody.stderr).toBe(`runbook: permission denied writing ${path.join(locked, 'locks', 'ok.lock')}\n`);
      expect(nobody.status).toBe(3);
    } finally {
      copy.remove();
    }
  });

  it('a path through a file: one line, exit 3', async () => {
    const file = path.join(work.dir, 'ok.yaml');
    const result = await runCli(['--dir', work.dir, 'run', 'ok'], { env: cliEnv(path.join(file, 'state')) });
    expect(result.stderr).toBe(`runbook: a path component is not a folder writing ${path.join(file, 'state', 'locks', 'ok.lock')}\n`);
    expect(result.code).toBe(3);
  });
});
