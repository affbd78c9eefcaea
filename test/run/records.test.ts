import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'run');
const state = freshTempDir();
const work = freshTempDir();

const env = (extra: Record<string, string> = {}) => cliEnv(state.dir, extra);

/** Every file under a folder, with its text. */
function allFiles(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [file, readFileSync(file, 'utf8')];
    });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('run records, locks and interruption', () => {
  it('records every run; history and show read them back; --json has the documented shape', async () => {
    const result = await runCli(['--dir', DIR, 'run', 'continue', '--json'], { env: env() });
    const doc = JSON.parse(result.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['format', 'playbook', 'run_id', 'status', 'exit_code', 'started_at', 'duration_ms', 'alerts', 'steps']));
    expect(Object.keys(doc.steps[0])).toEqual(['id', 'name', 'type', 'status', 'level', 'value', 'output', 'error', 'duration_ms']);
    expect(doc.alerts).toEqual([{ step: 'Optional cleanup', level: 'warn', message: 'Optional cleanup: command failed (exit code 1)' }]);

    const history = await runCli(['history'], { env: env() });
    expect(history.stdout).toContain(doc.run_id);
    expect(history.stdout).toMatch(/continue\s+WARNING/);
    const show = await runCli(['show', doc.run_id], { env: env() });
    expect(show.stdout).toContain('FAILED   Optional cleanup: command failed (exit code 1)');
    expect(show.stdout).toContain('OK       Main work');
    const missing = await runCli(['show', 'nope'], { env: env() });
    expect(missing.stderr).toContain('no recorded run nope');
    expect(missing.code).toBe(3);
  });

  it('keeps only the last RUNBOOK_KEEP_RUNS runs of a playbook', async () => {
    for (let i = 0; i < 4; i++) await runCli(['--dir', DIR, 'run', 'continue'], { env: env({ RUNBOOK_KEEP_RUNS: '2' }) });
    const records = readdirSync(path.join(state.dir, 'runs', 'continue')).filter((file) => file !== 'index.json');
    expect(records).toHaveLength(2);
    const index = JSON.parse(readFileSync(path.join(state.dir, 'runs', 'continue', 'index.json'), 'utf8'));
    expect(index.map((entry: { run_id: string }) => `${entry.run_id}.json`).sort()).toEqual(records.sort());
  });

  it('two runs of one playbook never overlap: the second exits 3 and names the holder', async () => {
    const pidfile = path.join(work.dir, 'pid');
    let firstPid = 0;
    const first = runCli(['--dir', DIR, 'run', 'slow', '--param', `pidfile=${pidfile}`], { env: env(), onSpawn: (child) => (firstPid = child.pid!) });
    await waitFor(() => existsSync(pidfile), 'the first run to start its step');
    const second = await runCli(['--dir', DIR, 'run', 'slow', '--param', `pidfile=${pidfile}.2`], { env: env() });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`another run of this playbook is in progress: process ${firstPid} on ${os.hostname()}`);
    expect(existsSync(`${pidfile}.2`)).toBe(false);
    process.kill(firstPid, 'SIGTERM');
    expect((await first).code).toBe(3);
  });

  it('SIGTERM mid-run kills the step, records the run as UNKNOWN (interrupted) and releases the lock', async () => {
    const pidfile = path.join(work.dir, 'pid');
    let pid = 0;
    const running = runCli(['--dir', DIR, 'run', 'slow', '--param', `pidfile=${pidfile}`], { env: env(), onSpawn: (child) => (pid = child.pid!) });
    await waitFor(() => existsSync(pidfile) && readFileSync(pidfile, 'utf8').trim() !== '', 'the step to start');
    const grandchild = Number(readFileSync(pidfile, 'utf8'));
    process.kill(pid, 'SIGTERM');
    const result = await running;
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('SLOW UNKNOWN - interrupted by SIGTERM');
    expect(result.stdout).not.toContain('[start] Never reached');
    expect(alive(grandchild)).toBe(false);

    const history = JSON.parse((await runCli(['history', 'slow', '--json'], { env: env() })).stdout).runs;
    expect(history[0].status).toBe('UNKNOWN');
    expect(readdirSync(path.join(state.dir, 'locks'))).toEqual([]);
    const again = await runCli(['--dir', DIR, 'run', 'continue'], { env: env() });
    expect(again.code).toBe(1);
  });

  it('a process that escapes its step (setsid) neither hangs the step nor keeps the CLI alive', async () => {
    const pidfile = path.join(work.dir, 'pid');
    const result = await runCli(['--dir', DIR, 'run', 'detach', '--param', `pidfile=${pidfile}`], { env: env() });
    expect(result.stdout).toContain('[OK] Next');
    expect(result.code).toBe(0);
    // It escaped the process group, so it is still there: the run says nothing false about it.
    await waitFor(() => existsSync(pidfile), 'the daemon to write its pid');
    process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
  });

  it('SIGKILL mid-run loses none of the steps that finished: show reads them back', async () => {
    const pidfile = path.join(work.dir, 'pid');
    let pid = 0;
    const running = runCli(['--dir', DIR, 'run', 'killed', '--param', `pidfile=${pidfile}`], { env: env(), onSpawn: (child) => (pid = child.pid!) });
    await waitFor(() => existsSync(pidfile) && readFileSync(pidfile, 'utf8').trim() !== '', 'the long step to start');
    process.kill(pid, 'SIGKILL');
    await running;
    process.kill(-Number(readFileSync(pidfile, 'utf8')), 'SIGKILL'); // its step's group, orphaned by the kill
    const [entry] = JSON.parse((await runCli(['history', 'killed', '--json'], { env: env() })).stdout).runs;
    expect(entry.status).toBe('RUNNING');
    const show = JSON.parse((await runCli(['show', entry.run_id, '--json'], { env: env() })).stdout);
    expect(show.steps.map((step: { name: string; status: string; output: { stdout: string } }) => `${step.name}=${step.status}:${step.output.stdout}`)).toEqual(['First=ok:one', 'Second=ok:two']);
    // The next run of the same playbook takes the dead run's lock over and closes its record.
    const next = await runCli(['--dir', DIR, 'run', 'killed', '--only', 'first', '--param', `pidfile=${pidfile}`], { env: env() });
    expect(next.code).toBe(0);
    const closed = JSON.parse((await runCli(['show', entry.run_id, '--json'], { env: env() })).stdout);
    expect(closed.status).toBe('UNKNOWN');
    expect(closed.stopped).toMatch(/^killed: its process ended without finishing the run/);
    expect(closed.steps).toHaveLength(2);
  });

  it('takes over the stale lock of a process that died', async () => {
    mkdirSync(path.join(state.dir, 'locks'), { recursive: true });
    const dead = 2 ** 22 - 7; // above pid_max defaults: never a live process
    writeFileSync(path.join(state.dir, 'locks', 'continue.lock'), JSON.stringify({ pid: dead, host: os.hostname(), run_id: 'x', started_at: 'y' }));
    const result = await runCli(['--dir', DIR, 'run', 'continue'], { env: env() });
    expect(result.code).toBe(1);
    expect(existsSync(path.join(state.dir, 'locks', 'continue.lock'))).toBe(false);
  });

  it('never lets a secret reach output, records, reports or logs', async () => {
    const token = 's3cr3t-T0ken-value';
    const password = 'hunter2hunter2';
    const playbookDir = path.join(work.dir, 'playbooks');
    mkdirSync(playbookDir);
    const logFile = path.join(work.dir, 'run.log');
    writeFileSync(path.join(playbookDir, 'secret.yaml'), `log: ${logFile}\n${readFileSync(path.join(DIR, 'secret.yaml'), 'utf8')}`);
    const runEnv = env({ API_TOKEN: token, DB_URL: `postgres://app:${password}@db.internal:5432/app` });
    const plain = await runCli(['--dir', playbookDir, 'run', 'secret', '--param', `out=${work.dir}`, '--verbose'], { env: runEnv });
    const json = await runCli(['--dir', playbookDir, 'run', 'secret', '--param', `out=${work.dir}`, '--json'], { env: runEnv });
    const dry = await runCli(['--dir', playbookDir, 'run', 'secret', '--param', `out=${work.dir}`, '--dry-run'], { env: runEnv });

    expect(plain.stdout).toContain('token=*** db=postgres://app:***@db.internal:5432/app');
    expect(plain.stdout).toContain('! raw ***');
    expect(JSON.parse(json.stdout).steps[1].error).toContain('bad token ***');
    const outputs = [plain.stdout, plain.stderr, json.stdout, json.stderr, dry.stdout, dry.stderr];
    const files = [...allFiles(state.dir), ...allFiles(work.dir).filter(([file]) => !file.endsWith('.yaml'))];
    expect(files.map(([file]) => path.basename(file))).toEqual(expect.arrayContaining(['report.md', 'run.log', 'index.json']));
    for (const text of [...outputs, ...files.map(([, t]) => t)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(password);
    }
  });
});
