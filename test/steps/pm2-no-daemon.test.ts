import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliEnv, ROOT, runCli, tempDir } from '../support/cli.js';

// No daemon at all: an empty PM2_HOME. These runs must never start one.
let home: ReturnType<typeof tempDir>;
let work: ReturnType<typeof tempDir>;
beforeEach(() => {
  home = tempDir('runbook-pm2-home-');
  work = tempDir();
});
afterEach(() => {
  home.remove();
  work.remove();
});

function playbook(steps: string): string {
  writeFileSync(path.join(work.dir, 'pm2.yaml'), `title: PM2 without a daemon\nsteps:\n${steps}`);
  return work.dir;
}

function run(args: string[], extra: Record<string, string> = {}) {
  return runCli(['--dir', work.dir, ...args], { env: cliEnv(path.join(work.dir, 'state'), { PM2_HOME: home.dir, ...extra }) });
}

const READ_ONLY = [
  '  - { id: list, name: PM2 list, type: pm2, action: list }',
  '  - { id: describe, name: PM2 describe, type: pm2, action: describe, process: api, when: always }',
  '  - { id: logs, name: PM2 logs, type: pm2, action: logs, since: 7d, when: always }',
].join('\n');
const NOT_RUNNING = `PM2 is not running (no daemon under ${'HOME'}): every PM2 service is down`;

describe('pm2 steps with no PM2 daemon', () => {
  it('read-only actions report a critical finding, in plain words, and start no daemon', async () => {
    playbook(READ_ONLY);
    const result = await run(['run', 'pm2']);
    const message = NOT_RUNNING.replace('HOME', home.dir);
    expect(result.stdout).toContain(`[CRITICAL] PM2 list: ${message}`);
    expect(result.stdout).toContain(`[CRITICAL] PM2 describe: ${message}`);
    expect(result.stdout).toContain(`[CRITICAL] PM2 logs: ${message}`);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^PM2 CRITICAL - PM2 is not running/);
    expect(result.code).toBe(2);
    // pm2 was not even loaded: it would have created its folders here.
    expect(readdirSync(home.dir)).toEqual([]);
  });

  it('gives empty outputs that later templates can still read', async () => {
    playbook(READ_ONLY);
    const result = await run(['run', 'pm2', '--json']);
    const steps = JSON.parse(result.stdout).steps;
    expect(steps[0]).toMatchObject({ level: 'critical', value: 0, output: { processes: [], online: 0, stopped: 0, errored: 0, restarts_total: 0, restarts_since_previous: 0 } });
    expect(steps[2].output).toMatchObject({ matches: 0, by_process: {}, lines: [] });
  });

  it('a stale socket and pid file of a dead daemon read as not running, and pm2 does not spawn a new one', async () => {
    // The pid is alive (this test process) but serves no socket: pm2 itself must be stopped from spawning.
    writeFileSync(path.join(home.dir, 'rpc.sock'), '');
    writeFileSync(path.join(home.dir, 'pm2.pid'), String(process.pid));
    playbook('  - { id: list, name: PM2 list, type: pm2, action: list }');
    const result = await run(['run', 'pm2']);
    expect(result.stdout).toContain(`[CRITICAL] PM2 list: ${NOT_RUNNING.replace('HOME', home.dir)}`);
    expect(result.code).toBe(2);
    expect(readFileSync(path.join(home.dir, 'pm2.pid'), 'utf8')).toBe(String(process.pid));
    expect(existsSync(path.join(home.dir, 'pm2.log'))).toBe(false);
  });

  it('an action that changes things fails, and says how to bring the processes back', async () => {
    playbook('  - { id: restart, name: Restart all, type: pm2, action: restart, process: all }');
    const result = await run(['run', 'pm2']);
    expect(result.stdout).toContain('[FAILED] Restart all: PM2 is not running');
    expect(result.stdout).toContain('nothing to restart (`action: resurrect` brings the saved processes back)');
    expect(result.code).toBe(2);
    expect(readdirSync(home.dir)).toEqual([]);
  });

  it('does not load pm2 to find out (it is heavy)', async () => {
    playbook('  - { id: list, name: PM2 list, type: pm2, action: list }');
    const trace = path.join(work.dir, 'trace');
    const result = await run(['run', 'pm2'], { NODE_OPTIONS: `--import ${path.join(ROOT, 'test/support/trace-imports.mjs')}`, TRACE_IMPORTS_FILE: trace, RUNBOOK_NO_SNAPSHOT: '1' });
    expect(result.stdout).toContain('PM2 is not running'); // the step ran (the CLI is one bundle: no file of its own to see)
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toMatch(/dist\/program\.js/);
    expect(loaded).not.toMatch(/node_modules\/pm2\//);
  });

  it('the weekly health check still completes and says plainly that PM2 is not running', async () => {
    const result = await runCli(['run', 'weekly-health'], { env: cliEnv(path.join(work.dir, 'state'), { PM2_HOME: home.dir }) });
    expect(result.stdout).toContain('[CRITICAL] Scan PM2 logs for ERROR entries (last 7 days): PM2 is not running');
    expect(result.stdout).toContain('[CRITICAL] PM2 process status (pm2 list): PM2 is not running');
    // No daemon, no data: the crash count is skipped, not a reassuring OK.
    expect(result.stdout).toContain("[SKIPPED] Process crashes since last week's check: only if pm2_running from “PM2 process status (pm2 list)” is set");
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^WEEKLY-HEALTH CRITICAL - .*PM2 is not running/);
    expect(result.code).toBe(2);
  });
});

describe('pm2 step validation', () => {
  it.each([
    ['  - { name: x, type: pm2, action: list, wait_online: 30s }', '`wait_online` only applies to action start, restart, reload, resurrect'],
    ['  - { name: x, type: pm2, action: restart, wait_online: 2s }', '`wait_online` must be at least 6s: a process has to stay up 3s to count as online'],
    ['  - { name: x, type: pm2, action: list, since: 7d }', '`since` only applies to action logs'],
    ['  - { name: x, type: pm2, action: save, process: api }', '`save` acts on the whole process list: remove `process`'],
    ['  - { name: x, type: pm2, action: logs, pattern: "ERROR(" }', '`pattern` is not a valid regular expression'],
  ])('%s is refused: %s', async (steps, message) => {
    playbook(steps);
    const result = await runCli(['validate', path.join(work.dir, 'pm2.yaml')], { env: cliEnv(path.join(work.dir, 'state')) });
    expect(result.stdout + result.stderr).toContain(message);
    expect(result.code).toBe(3);
  });
});
