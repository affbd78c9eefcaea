import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processGroup } from '../../engine/proc/process-alive.js';
import { readLock } from '../../engine/run/lock.js';
import { alive, BIN, cliEnv, freshTempDir, runCli } from '../support/cli.js';

const work = freshTempDir();
const state = () => path.join(work.dir, 'state');
const logFile = () => path.join(work.dir, 'slow.log');
const lockFile = () => path.join(state(), 'locks', 'slow.lock');

/** `slow`: a quick step, then one that naps for $NAP seconds (none unless the test sets it). */
function playbook(): void {
  writeFileSync(path.join(work.dir, 'slow.yaml'), [
    'title: slow', `log: ${logFile()}`, 'steps:',
    '  - name: First', '    type: shell', '    run: echo first',
    '  - name: Nap', '    type: shell', '    run: echo started; sleep "${NAP:-0}"; echo woke', '',
  ].join('\n'));
}

/** A run of `slow` in the background: resolves `seen(text)` once its output shows `text`. */
function startRun(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, '--dir', work.dir, 'run', 'slow', '--verbose'], { env: cliEnv(state(), env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout })));
  const seen = (text: string) => new Promise<void>((resolve) => (stdout.includes(text) ? resolve() : waiters.push({ text, resolve })));
  return { child, exited, seen };
}

/** The step process groups the run's lock records now. */
function recordedGroups(): number[] {
  return readLock(lockFile())?.groups.map((g) => g.pgid) ?? [];
}

/** Live processes of these groups, from /proc. */
function survivors(groups: number[]): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => groups.includes(processGroup(pid) ?? -1) && alive(pid));
}

const history = async () => (JSON.parse((await runCli(['history', 'slow', '--json'], { env: cliEnv(state()) })).stdout) as { runs: { run_id: string; status: string; summary: string }[] }).runs;

describe('signals to runbook', () => {
  it.each([
    ['SIGTERM', 'during a step', '| started'],
    ['SIGHUP', 'during a step', '| started'],
    ['SIGTERM', 'as the run starts', '== slow'],
    ['SIGHUP', 'as the first step starts', '[start] First'],
  ] as const)('%s %s: its processes end, the record says so, the lock is released, exit 3', async (signal, _, point) => {
    playbook();
    const run = startRun({ NAP: '300' });
    await run.seen(point);
    const groups = point === '| started' ? recordedGroups() : [];
    if (point === '| started') {
      expect(groups).toHaveLength(1);
      // The lock itself stays one JSON object naming its holder, as every runbook version reads it.
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: run.child.pid });
    }
    run.child.kill(signal);
    const end = await run.exited;
    expect(end.code).toBe(3);
    expect(end.stdout).toContain(`SLOW UNKNOWN - interrupted by ${signal}`);
    expect(survivors(groups)).toEqual([]);
    expect(() => readFileSync(lockFile())).toThrow(/ENOENT/);
    expect((await history())[0]).toMatchObject({ status: 'UNKNOWN', summary: `SLOW UNKNOWN - interrupted by ${signal}` });
    // The buffered log keeps its tail.
    expect(readFileSync(logFile(), 'utf8').trimEnd().split('\n').at(-1)).toBe(`SLOW UNKNOWN - interrupted by ${signal}`);
  });

  it('a dropped terminal (SIGHUP, then EIO on every write): the run still ends its step, records itself and releases the lock', async (ctx) => {
    if (spawnSync('python3', ['-c', 'import pty']).status !== 0) return ctx.skip('python3 with pty is needed to drop a real terminal');
    playbook();
    // A real pseudo-terminal whose master is closed once the step has started, as when ssh drops.
    const hangup = [
      'import os, pty, sys',
      'err = os.dup(2)', // the run's stderr stays a pipe the test reads
      'pid, fd = pty.fork()',
      'if pid == 0: os.dup2(err, 2); os.execv(sys.argv[1], sys.argv[1:])',
      'out = b""',
      'while b"| started" not in out: out += os.read(fd, 4096)',
      'os.close(fd)',
      'os.waitpid(pid, 0)',
    ].join('\n');
    const result = spawnSync('python3', ['-c', hangup, process.execPath, BIN, '--dir', work.dir, 'run', 'slow', '--verbose'], {
      env: cliEnv(state(), { NAP: '300' }) as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr).not.toContain('EIO');
    // (Node 20 may then abort in its own tty reset at exit, nodejs/node#58200: the exit code is not asserted.)
    expect((await history())[0]).toMatchObject({ status: 'UNKNOWN', summary: 'SLOW UNKNOWN - interrupted by SIGHUP' });
    expect(() => readFileSync(lockFile())).toThrow(/ENOENT/);
    expect(readFileSync(logFile(), 'utf8')).toContain('SLOW UNKNOWN - interrupted by SIGHUP');
  });

  it.each([
    ['as the run starts', '== slow'],
    ['during the first step', '[start] First'],
    ['during a step that naps', '| started'],
  ])('SIGKILL %s: the next run ends what it left, says so, records it as killed, and runs', async (_, point) => {
    playbook();
    const run = startRun({ NAP: '300' });
    await run.seen(point);
    const groups = point === '| started' ? recordedGroups() : [];
    run.child.kill('SIGKILL');
    await run.exited;
    if (groups.length) expect(survivors(groups).length).toBeGreaterThan(0); // what kill -9 leaves behind
    const next = await runCli(['--dir', work.dir, 'run', 'slow'], { env: cliEnv(state()) });
    expect(next.code).toBe(0);
    const [last, killed] = await history();
    expect(last!.status).toBe('OK');
    expect(killed).toMatchObject({ status: 'UNKNOWN', summary: expect.stringContaining('killed') });
    if (groups.length) {
      expect(next.stdout).toContain(`ended 2 processes left running by run ${killed!.run_id} (its process ${run.child.pid} is gone): process group ${groups[0]}`);
      expect(survivors(groups)).toEqual([]);
    }
    expect(() => readFileSync(lockFile())).toThrow(/ENOENT/);
  });
});
