import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, BIN, cliEnv, freshTempDir, runCli } from '../support/cli.js';

const state = freshTempDir();
const work = freshTempDir();

const env = () => cliEnv(state.dir);
const BOOT_ID = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** A process's start time, field 22 of /proc/PID/stat: what a live holder records of itself and of its steps' groups. */
function startOf(pid = process.pid): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** A playbook of one shell step in the temp playbook folder; `name` may hold a folder (`a/b`). */
function playbook(name: string): void {
  const file = path.join(work.dir, `${name}.yaml`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `title: ${name}\nsteps:\n  - name: Say who\n    type: shell\n    run: echo I am ${name}\n`);
}

function lockFile(name: string): string {
  return path.join(state.dir, 'locks', `${encodeURIComponent(name)}.lock`);
}

/** A lock file as a run of this test process would hold it, with `overrides` applied. */
function writeLock(name: string, overrides: Record<string, unknown> = {}): void {
  mkdirSync(path.join(state.dir, 'locks'), { recursive: true });
  const holder = { pid: process.pid, host: os.hostname(), boot_id: BOOT_ID, pid_start: startOf(), run_id: 'held-run', started_at: 'earlier' };
  writeFileSync(lockFile(name), JSON.stringify({ ...holder, ...overrides }));
}

const lockFolder = () => readdirSync(path.join(state.dir, 'locks'));

const readHolder = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { run_id: string };

const run = (name: string) => runCli(['--dir', work.dir, 'run', name], { env: env() });

describe('playbook locks', () => {
  it('refuses to run while a live holder with a matching boot and start time holds the lock', async () => {
    playbook('ok');
    writeLock('ok');
    const result = await run('ok');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`another run of this playbook is in progress: process ${process.pid} on ${os.hostname()} (run held-run`);
    expect(existsSync(lockFile('ok'))).toBe(true);
  });

  it('takes over a lock from another boot even though its PID is alive now (reused after a reboot)', async () => {
    playbook('ok');
    writeLock('ok', { boot_id: '00000000-0000-0000-0000-000000000000' });
    const result = await run('ok');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('I am ok');
    expect(existsSync(lockFile('ok'))).toBe(false);
  });

  it('takes over a lock whose PID now belongs to a process started at another time (reused in this boot)', async () => {
    playbook('ok');
    writeLock('ok', { pid_start: startOf() + 1 });
    const result = await run('ok');
    expect(result.code).toBe(0);
    expect(existsSync(lockFile('ok'))).toBe(false);
  });

  it('takes over an empty lock file (a crash between open and write) once it is a few seconds old', async () => {
    playbook('ok');
    writeLock('ok');
    writeFileSync(lockFile('ok'), '');
    const young = await run('ok');
    expect(young.code).toBe(3);
    expect(young.stderr).toContain('another run of this playbook is in progress: another process holds');

    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockFile('ok'), minuteAgo, minuteAgo);
    const old = await run('ok');
    expect(old.code).toBe(0);
    expect(existsSync(lockFile('ok'))).toBe(false);
  });

  it('a dead holder\'s lock: ends the step group its journal says it left running, not one that ended, nor one whose record was cut short', async () => {
    playbook('ok');
    const sleeper = () => spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const [left, ended, torn] = [sleeper(), sleeper(), sleeper()];
    const leftGone = new Promise((resolve) => left.once('exit', resolve));
    try {
      const dead = spawnSync('true').pid!;
      writeLock('ok', { pid: dead });
      // Its journal of step groups: one left running, one that ended, one whose record a full disk cut short.
      const journal = `${lockFile('ok')}.held-run.groups`;
      writeFileSync(journal, `\n+${left.pid} ${startOf(left.pid)};\n+${ended.pid} ${startOf(ended.pid)};\n-${ended.pid};\n+${torn.pid}`);
      const result = await run('ok');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`ended 1 process left running by run held-run (its process ${dead} is gone): process group ${left.pid}`);
      expect(result.stdout).not.toContain(`process group ${ended.pid}`);
      await leftGone;
      expect([alive(ended.pid!), alive(torn.pid!)]).toEqual([true, true]);
      expect(existsSync(journal)).toBe(false);
    } finally {
      for (const child of [left, ended, torn]) child.kill('SIGKILL');
    }
  });

  it('a taker killed while it ends a dead holder\'s leftovers leaves them in its own journal: the run after it ends them', async () => {
    playbook('ok');
    // A step group that ignores SIGTERM: the taker waits its 2 s grace before SIGKILL, and is killed then.
    const stubborn = spawn('sh', ['-c', 'trap "" TERM; echo ready; exec sleep 60'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const stubbornGone = new Promise((resolve) => stubborn.once('exit', resolve));
    let taker: ReturnType<typeof spawn> | undefined;
    try {
      await new Promise((resolve) => stubborn.stdout!.once('data', resolve)); // the trap is set
      writeLock('ok', { pid: spawnSync('true').pid! });
      const deadJournal = `${lockFile('ok')}.held-run.groups`;
      writeFileSync(deadJournal, `\n+${stubborn.pid} ${startOf(stubborn.pid)};`);
      taker = spawn(BIN, ['--dir', work.dir, 'run', 'ok'], { env: env(), stdio: 'ignore' });
      const takerEnded = new Promise<NodeJS.Signals | null>((resolve) => taker!.once('exit', (_code, signal) => resolve(signal)));
      // The dead holder's journal goes once the taker holds the lock; then it sends SIGTERM and waits.
      for (let waited = 0; existsSync(deadJournal) && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(existsSync(deadJournal)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      taker.kill('SIGKILL');
      expect(await takerEnded).toBe('SIGKILL');
      expect(alive(stubborn.pid!)).toBe(true);

      const result = await run('ok');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`ended 1 process left running by run held-run \\(run [\\w-]+, which took them over, is gone too\\): process group ${stubborn.pid}`));
      await stubbornGone;
      expect(lockFolder().filter((name) => name.endsWith('.groups'))).toEqual([]);
    } finally {
      taker?.kill('SIGKILL');
      try {
        process.kill(-stubborn.pid!, 'SIGKILL');
      } catch {
        // ended by the run, as it should be
      }
    }
  });

  it('a dead holder\'s lock from an older runbook with a damaged group list: taken, nothing of it ended', async () => {
    playbook('ok');
    writeLock('ok', { pid: spawnSync('true').pid!, groups: 'not a list' });
    const result = await run('ok');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('I am ok');
    expect(lockFolder()).toEqual([]);
  });

  it('the kernel\'s lock is what holds: with a run in progress, another is refused even when the lock file is gone', async () => {
    const log = path.join(work.dir, 'held.log');
    writeFileSync(path.join(work.dir, 'held.yaml'), `title: held\nsteps:\n  - name: Stay a while\n    type: shell\n    run: "echo started >> ${log}; sleep 3"\n`);
    writeFileSync(log, '');
    const first = run('held');
    for (let waited = 0; !readFileSync(log, 'utf8') && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readHolder(lockFile('held')).run_id).toMatch(/^\d{8}-/);
    rmSync(lockFile('held'));
    const second = await run('held');
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('another run of this playbook is in progress: another process holds');
    expect((await first).code).toBe(0);
    expect((await run('held')).code).toBe(0);
  });

  it('ends the groups in any journal left beside the lock (a run killed before its name reached the lock file), and clears what runs killed as they wrote it left', async () => {
    playbook('ok');
    const left = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const leftGone = new Promise((resolve) => left.once('exit', resolve));
    try {
      mkdirSync(path.join(state.dir, 'locks'), { recursive: true });
      writeFileSync(`${lockFile('ok')}.killed-run.groups`, `\n+${left.pid} ${startOf(left.pid)};`);
      const dead = spawnSync('true').pid!;
      for (const left of [`stale.${dead}`, `${dead}.new`, `${dead}.k2j4.tmp`]) writeFileSync(`${lockFile('ok')}.${left}`, '{}');
      const result = await run('ok');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`ended 1 process left running by run killed-run (it is gone): process group ${left.pid}`);
      await leftGone;
      expect(lockFolder()).toEqual([]);
    } finally {
      left.kill('SIGKILL');
    }
  });

  it('runs started together against a dead holder\'s lock: one at a time, the others refused, nothing left beside the lock', async () => {
    const log = path.join(work.dir, 'together.log');
    writeFileSync(path.join(work.dir, 'together.yaml'), `title: together\nsteps:\n  - name: Stay a while\n    type: shell\n    run: "echo start $(date +%s%N) >> ${log}; sleep 0.3; echo end $(date +%s%N) >> ${log}"\n`);
    for (let round = 0; round < 5; round++) {
      writeFileSync(log, '');
      writeLock('together', { pid: spawnSync('true').pid! });
      const results = await Promise.all(Array.from({ length: 4 }, () => run('together')));
      expect(results.filter((result) => result.code === 0).length).toBeGreaterThanOrEqual(1);
      for (const refused of results.filter((result) => result.code !== 0)) {
        expect(refused.code).toBe(3);
        expect(refused.stderr).toContain('another run of this playbook is in progress');
      }
      const marks = readFileSync(log, 'utf8').trim().split('\n');
      expect(marks).toHaveLength(2 * results.filter((result) => result.code === 0).length);
      // Each start is followed by its own end: no step began while another was running.
      marks.forEach((mark, i) => expect(mark.split(' ')[0]).toBe(i % 2 === 0 ? 'start' : 'end'));
      expect(lockFolder()).toEqual([]);
    }
  });

  it('keeps a/b and a__b apart: separate locks and separate histories', async () => {
    playbook('a/b');
    playbook('a__b');
    writeLock('a/b');
    expect((await run('a__b')).code).toBe(0);
    expect((await run('a/b')).code).toBe(3);
    expect((await run('a__b')).code).toBe(0);

    const history = async (name: string) => (JSON.parse((await runCli(['history', name, '--json'], { env: env() })).stdout) as { runs: { summary: string }[] }).runs;
    expect(await history('a/b')).toEqual([]);
    expect((await history('a__b')).map((entry) => entry.summary)).toEqual(['A__B OK - 1 step ok', 'A__B OK - 1 step ok']);

    writeFileSync(lockFile('a/b'), '');
    utimesSync(lockFile('a/b'), new Date(0), new Date(0));
    expect((await run('a/b')).code).toBe(0);
    expect((await history('a/b')).map((entry) => entry.summary)).toEqual(['A/B OK - 1 step ok']);
    expect(await history('a__b')).toHaveLength(2);
    const all = await runCli(['history'], { env: env() });
    expect(all.stdout).toMatch(/^\S+\s+a\/b\s/m);
    expect(all.stdout).toMatch(/^\S+\s+a__b\s/m);
  });
});
