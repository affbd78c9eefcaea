import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, waitFor, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';
import { BIN, cliEnv, FIXTURES, ROOT, runCli, tempDir } from '../support/cli.js';
import { chromium } from 'playwright-core';
import { CHROMIUM, startDashboard } from '../dashboard/dashboard-cli.js';

// Ten agents on this machine, each its own host (RUNBOOK_HOST) and state dir, two of them
// schedulers; short timings so expiry and ticks come in seconds. Shared by every test below.
const HOSTS = Array.from({ length: 10 }, (_, i) => `host-${String(i).padStart(2, '0')}`);
const HOST_BOOKS = path.join(FIXTURES, 'fleet', 'hosts');
const OPERATOR_BOOKS = path.join(FIXTURES, 'fleet', 'operator');
const TIMINGS = { RUNBOOK_FLEET_HEARTBEAT: '1', RUNBOOK_FLEET_POLL: '1', RUNBOOK_FLEET_MAINTENANCE: '1' };

let db: ScratchDatabase;
const states = new Map<string, ReturnType<typeof tempDir>>();
const agents = new Map<string, ChildProcess>();
const operatorState = tempDir('runbook-fleet-operator-');

function fleetEnv(stateDir: string, extra: Record<string, string> = {}) {
  return cliEnv(stateDir, { RUNBOOK_FLEET_URL: db.url, ...TIMINGS, ...extra });
}

/** `runbook fleet ...` as an operator runs it, with the operator's copies of the playbooks. */
const fleet = (args: string[]) => runCli(['--dir', OPERATOR_BOOKS, 'fleet', ...args], { env: fleetEnv(operatorState.dir) });

/** An agent for `host`; started again, it keeps the host's state dir (its records and locks). */
function startAgent(host: string, scheduler: boolean): Promise<void> {
  const state = states.get(host) ?? tempDir(`runbook-fleet-${host}-`);
  states.set(host, state);
  const child = spawn(process.execPath, [BIN, '--dir', HOST_BOOKS, 'agent', ...(scheduler ? ['--scheduler'] : [])], {
    cwd: ROOT, env: fleetEnv(state.dir, { RUNBOOK_HOST: host, DATABASE_URL: db.url }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  agents.set(host, child);
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(`runbook agent: ${host} ready`)) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('close', (code) => reject(new Error(`agent ${host} exited ${code} before it was ready: ${output}`)));
  });
}

/** Every process below `pid` (the agent's run, its step's shell and sleep). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The agent and everything below it killed outright, as when its box dies, once a process running `command` is among them. */
async function dieMidRun(agent: ChildProcess, command: string): Promise<void> {
  await waitFor(async () => descendants(agent.pid!).map(commandLine), (lines) => lines.some((line) => line.includes(command)), `${command} to run`, 30_000);
  for (const pid of [agent.pid!, ...descendants(agent.pid!)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended on its own meanwhile (a step's short-lived process)
    }
  }
}

/** The local run records of `playbook` on one host (its own history, as `runbook history` reads it). */
function localRuns(host: string, playbook: string): { run_id: string; status: string }[] {
  try {
    return JSON.parse(readFileSync(path.join(states.get(host)!.dir, 'runs', playbook, 'index.json'), 'utf8'));
  } catch {
    return [];
  }
}

beforeAll(async () => {
  db = await scratchDatabase('fleet');
  // One first, so pg-boss creates its schema once; then the other nine together.
  await startAgent(HOSTS[0]!, true);
  await Promise.all(HOSTS.slice(1).map((host, i) => startAgent(host, i === 0)));
}, 120_000);

afterAll(async () => {
  await Promise.all([...agents.values()].map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('close', () => resolve());
    child.kill('SIGTERM');
  })));
  await db?.drop();
  for (const state of states.values()) state.remove();
  operatorState.remove();
}, 60_000);

describe('a fleet of ten agents on one database', () => {
  it('fleet run --all runs the playbook once on every host: ten results, ten central records, each also kept locally', async () => {
    const result = await fleet(['run', 'quick', '--all', '--json']);
    expect(result.stderr).toBe('');
    const doc = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(doc.hosts.map((h: { host: string }) => h.host)).toEqual(HOSTS);
    expect(doc.hosts.every((h: { status: string }) => h.status === 'OK')).toBe(true);
    const rows = await db.query<{ host: string; run_id: string; status: string; record: { host: string; steps: unknown[] } }>(
      "SELECT host, run_id, status, record FROM runbook.runs WHERE playbook = 'quick' ORDER BY host");
    expect(rows.map((row) => row.host)).toEqual(HOSTS);
    expect(rows.every((row) => row.status === 'OK' && row.record.host === row.host && row.record.steps.length === 1)).toBe(true);
    for (const row of rows) expect(localRuns(row.host, 'quick').map((run) => run.run_id)).toEqual([row.run_id]);
  });

  it('prints a table with one line per host and exits with the worst status', async () => {
    const result = await fleet(['run', 'quick', '--host', 'host-01', '--host', 'no-such-host']);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^host-01 +OK /m);
    expect(result.stdout).toMatch(/^no-such-host +UNKNOWN +- +no agent registered for this host/m);
  });

  it('passes params as values, never as options, to the host\'s run', async () => {
    const result = await fleet(['run', 'greet', '--host', 'host-02', '--param', 'who=--dir=/etc', '--json']);
    expect(result.code).toBe(0);
    const [line] = JSON.parse(result.stdout).hosts;
    const record = JSON.parse(readFileSync(path.join(states.get('host-02')!.dir, 'runs', 'greet', `${line.run_id}.json`), 'utf8'));
    expect(record.params).toEqual({ who: '--dir=/etc' });
    expect(record.steps[0].output.stdout).toBe('hello --dir=/etc');
  });

  it('an agent asked for a playbook its host does not have refuses it, and nothing runs there', async () => {
    const result = await fleet(['run', 'only-operator', '--host', 'host-03', '--json']);
    expect(result.code).toBe(3);
    const [host] = JSON.parse(result.stdout).hosts;
    expect(host).toMatchObject({ host: 'host-03', status: 'UNKNOWN', run_id: null });
    expect(host.refused).toContain('playbook only-operator is not on this host');
    expect(localRuns('host-03', 'only-operator')).toEqual([]);
  });

  it('records a run from a fleet host\'s own crontab centrally, as it is kept locally', async () => {
    const cronHost = tempDir('runbook-fleet-cron-');
    try {
      // As cron starts it: nearly no environment, the fleet settings in the env file.
      const envFile = path.join(cronHost.dir, 'env');
      writeFileSync(envFile, `RUNBOOK_FLEET_URL=${db.url}\nRUNBOOK_HOST=cron-only\n`, { mode: 0o600 });
      const run = await runCli(['--dir', HOST_BOOKS, 'run', 'quick', '--json'], { env: cliEnv(cronHost.dir, { RUNBOOK_ENV_FILE: envFile }) });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const local = JSON.parse(run.stdout);
      const [row] = await db.query<{ record: { run_id: string; summary: string; steps: { output: unknown }[] } }>("SELECT record FROM runbook.runs WHERE host = 'cron-only'");
      expect(row!.record.run_id).toBe(local.run_id);
      expect(row!.record.summary).toBe(local.summary);
      const status = JSON.parse((await fleet(['status', '--json'])).stdout);
      const host = status.hosts.find((h: { host: string }) => h.host === 'cron-only');
      expect(host.agent).toBeNull();
      expect(host.playbooks.find((p: { playbook: string }) => p.playbook === 'quick').last_run.run_id).toBe(local.run_id);
    } finally {
      cronHost.remove();
    }
  });

  it('keeps RUNBOOK_FLEET_KEEP_RUNS runs of a host\'s playbook centrally, the newest', async () => {
    const box = tempDir('runbook-fleet-keep-');
    try {
      const ids = [];
      for (let i = 0; i < 3; i++) {
        const run = await runCli(['--dir', HOST_BOOKS, 'run', 'quick', '--json'], { env: fleetEnv(box.dir, { RUNBOOK_HOST: 'keep-two', RUNBOOK_FLEET_KEEP_RUNS: '2' }) });
        ids.push(JSON.parse(run.stdout).run_id);
      }
      const rows = await db.query("SELECT run_id FROM runbook.runs WHERE host = 'keep-two' ORDER BY started_at");
      expect(rows.map((row) => row.run_id)).toEqual(ids.slice(1));
    } finally {
      box.remove();
    }
  });

  it('the fleet URL is a secret: steps never see it, and a refused connection never prints its password', async () => {
    const box = tempDir('runbook-fleet-secret-');
    try {
      const run = await runCli(['--dir', HOST_BOOKS, 'run', 'show-env', '--json'], { env: fleetEnv(box.dir, { RUNBOOK_HOST: 'secret-host' }) });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('RUNBOOK_HOST=secret-host');
      expect(run.stdout).not.toContain('RUNBOOK_FLEET_URL');
      expect(run.stdout).not.toContain(db.url);
      const unreachable = 'postgres://ops:hunter22-secret@127.0.0.1:1/fleet';
      const refused = await runCli(['--dir', OPERATOR_BOOKS, 'fleet', 'status'], { env: cliEnv(box.dir, { RUNBOOK_FLEET_URL: unreachable }) });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toBe('runbook: the fleet database at 127.0.0.1:1/fleet cannot be used: connect ECONNREFUSED 127.0.0.1:1\n');
      expect(refused.stdout + refused.stderr).not.toContain('hunter22-secret');
    } finally {
      box.remove();
    }
  });

  it('the dashboard of a fleet host offers the fleet view: every host x playbook from the fleet database, the URL nowhere', async () => {
    const dashboard = await startDashboard([], fleetEnv(operatorState.dir), OPERATOR_BOOKS);
    try {
      const status = await (await fetch(new URL('api/status', dashboard.url))).json();
      expect(status.fleet).toBe(true);
      const text = await (await fetch(new URL('api/fleet', dashboard.url))).text();
      expect(text).not.toContain(db.url);
      const doc = JSON.parse(text);
      expect(doc.hosts.map((h: { host: string }) => h.host)).toEqual(expect.arrayContaining([...HOSTS, 'cron-only']));
      const host = doc.hosts.find((h: { host: string }) => h.host === 'host-04');
      expect(host.agent.alive).toBe(true);
      expect(host.playbooks.find((p: { playbook: string }) => p.playbook === 'quick').last_run.status).toBe('OK');
      // What a person sees: the header's fleet link, then one row per host and playbook.
      const browser = await chromium.launch(CHROMIUM);
      try {
        const page = await browser.newPage();
        await page.goto(dashboard.url);
        await page.getByRole('link', { name: 'fleet' }).click();
        await page.getByRole('heading', { name: `Fleet: ${doc.hosts.length} hosts` }).waitFor();
        const row = page.locator('tr', { hasText: 'host-04' }).filter({ hasText: 'quick' });
        expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['host-04', 'quick', 'OK', 'ok']));
      } finally {
        await browser.close();
      }
    } finally {
      await dashboard.stop();
    }
  });

  it('a schedule tick runs once on every host, with two schedulers up', async () => {
    const install = await fleet(['schedule', '--install']);
    expect(install.stdout + install.stderr).toContain('scheduled tick: * * * * * (UTC)');
    try {
      // A host's own cron (`runbook tick`) leaves a fleet-scheduled playbook to its agent.
      const cronHost = tempDir('runbook-fleet-tick-');
      const local = await runCli(['--dir', HOST_BOOKS, 'tick'], { env: fleetEnv(cronHost.dir, { RUNBOOK_HOST: 'cron-tick' }) });
      cronHost.remove();
      expect(local.stdout).toContain('tick: scheduled by the fleet (runbook fleet schedule): its agent runs it');
      expect(local.code).toBe(0);
      // Each tick is one job per host; two schedulers must not make two.
      await waitFor(() => db.query<{ n: string }>("SELECT count(*) AS n FROM runbook.runs WHERE playbook = 'tick' AND status <> 'RUNNING'"),
        (rows) => Number(rows[0]!.n) >= HOSTS.length, 'ten scheduled runs', 90_000);
    } finally {
      expect((await fleet(['schedule', '--uninstall'])).stdout).toContain('unscheduled tick');
    }
    const ticks = await db.query<{ tick: string; runs: string; hosts: string }>(`
      SELECT j.data->>'tick' AS tick, count(*) AS runs, count(DISTINCT r.host) AS hosts
      FROM runbook.runs r JOIN pgboss.job j ON j.id = r.job_id WHERE r.playbook = 'tick' GROUP BY 1`);
    // A tick of the next minute may have begun before the uninstall: it is judged the same way.
    for (const tick of ticks) expect(tick.runs).toBe(tick.hosts);
    expect(Math.max(...ticks.map((tick) => Number(tick.hosts)))).toBe(HOSTS.length);
  }, 120_000);

  it('an agent stopped with SIGTERM mid-run stops the run, answers its job with that, and exits 0', async () => {
    const host = HOSTS[8]!;
    const pending = fleet(['run', 'slow', '--host', host, '--timeout', '1m', '--json']);
    await waitFor(() => db.query("SELECT 1 FROM runbook.runs WHERE host = $1 AND playbook = 'slow' AND status = 'RUNNING'", [host]), (rows) => rows.length === 1, 'the slow run to start', 30_000);
    const agent = agents.get(host)!;
    const exited = new Promise<number | null>((resolve) => agent.once('close', resolve));
    agent.kill('SIGTERM');
    expect(await exited).toBe(0);
    const result = await pending;
    const [line] = JSON.parse(result.stdout).hosts;
    expect(line).toMatchObject({ host, status: 'UNKNOWN' });
    expect(line.summary).toContain('interrupted by SIGTERM');
    expect(localRuns(host, 'slow').map((run) => run.status)).toEqual(['UNKNOWN']);
    const [row] = await db.query('SELECT stopped_at FROM runbook.agents WHERE host = $1', [host]);
    expect(row!.stopped_at).not.toBeNull();
  }, 60_000);

  it('an agent killed with SIGKILL mid-run (its run too, as when the box dies): the run is reported lost (UNKNOWN) once the job expires, with the steps it finished', async () => {
    const host = HOSTS[9]!;
    const pending = fleet(['run', 'slow', '--host', host, '--timeout', '4s', '--json']);
    await waitFor(() => db.query("SELECT 1 FROM runbook.runs WHERE host = $1 AND playbook = 'slow' AND status = 'RUNNING' AND jsonb_array_length(record->'steps') = 1", [host]),
      (rows) => rows.length === 1, 'the slow run to finish its first step', 30_000);
    const agent = agents.get(host)!;
    await dieMidRun(agent, 'sleep 30'); // the run, its step's shell and the sleep
    const result = await pending;
    expect(result.code).toBe(3);
    const [line] = JSON.parse(result.stdout).hosts;
    expect(line).toMatchObject({ host, status: 'UNKNOWN' });
    expect(line.summary).toContain('lost: its agent stopped answering mid-run');
    const [row] = await db.query<{ status: string; record: { status: string; stopped: string; steps: { name: string }[] } }>("SELECT status, record FROM runbook.runs WHERE host = $1 AND playbook = 'slow'", [host]);
    expect(row!.status).toBe('UNKNOWN');
    expect(row!.record.stopped).toContain('lost: its agent stopped answering mid-run');
    expect(row!.record.steps.map((step) => step.name)).toEqual(['Begin']);
    const status = await fleet(['status', '--json']);
    expect(status.code).toBe(2);
    const seen = JSON.parse(status.stdout).hosts.find((h: { host: string }) => h.host === host);
    expect(seen.playbooks.find((p: { playbook: string }) => p.playbook === 'slow')).toMatchObject({ attention: 'lost', last_run: { status: 'UNKNOWN' } });
    expect((await fleet(['status'])).stdout).toMatch(new RegExp(`^${host} .* slow .* LOST`, 'm'));
    // Nothing more is sent to a silent agent, nor to one that stopped (host-08, above): answered at once.
    await waitFor(() => db.query("SELECT 1 FROM runbook.agents WHERE host = $1 AND last_seen < now() - interval '3 seconds'", [host]), (rows) => rows.length === 1, 'three missed heartbeats');
    const again = JSON.parse((await fleet(['run', 'quick', '--host', host, '--host', 'host-08', '--json'])).stdout).hosts;
    expect(again.map((h: { summary: string }) => h.summary)).toEqual([expect.stringMatching(/^its agent stopped at .*: not sent$/), expect.stringMatching(/^its agent is silent since .*: not sent$/)]);
  }, 60_000);

  it('a lost run of a playbook that only looks is retried once, by the agent when it is back', async () => {
    const host = HOSTS[7]!;
    const pending = fleet(['run', 'look', '--host', host, '--timeout', '5s', '--json']);
    await waitFor(() => db.query("SELECT 1 FROM runbook.runs WHERE host = $1 AND playbook = 'look' AND jsonb_array_length(record->'steps') = 1", [host]), (rows) => rows.length === 1, 'the first step', 30_000);
    await dieMidRun(agents.get(host)!, 'run --json'); // the run (its query runs in the server)
    await startAgent(host, false);
    const [line] = JSON.parse((await pending).stdout).hosts;
    // The retry ran (and was itself stopped just before the 5 s its job may take).
    expect(line.run_id).not.toBeNull();
    expect(line.summary).toContain('interrupted by SIGTERM');
    const runs = await db.query<{ run_id: string; summary: string; job_attempt: number }>("SELECT run_id, summary, job_attempt FROM runbook.runs WHERE host = $1 AND playbook = 'look' ORDER BY started_at", [host]);
    expect(runs.map((run) => run.job_attempt)).toEqual([0, 1]);
    // Lost (found by the fleet first) or killed (closed first by the retry on the same host, as after any crash): UNKNOWN either way.
    expect(runs[0]!.summary).toMatch(/UNKNOWN - (lost: its agent stopped answering mid-run|killed: )/);
    expect(runs[1]!.run_id).toBe(line.run_id);
  }, 60_000);
});
