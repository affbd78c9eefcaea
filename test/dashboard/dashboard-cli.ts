import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BIN, cliEnv, FIXTURES, ROOT, runCli, type CliResult } from '../support/cli.js';

export const BOOKS = path.join(FIXTURES, 'dashboard');

/** Debian's chromium, driven by playwright-core (never `playwright install`: no downloads). */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
/** The declared secret of the fixture playbook: it must appear nowhere the dashboard shows. */
export const SECRET = 's3cret-value-42';

/** The environment of every CLI call here: the fixture state dir, the secret, a PM2 home. */
export function dashboardEnv(stateDir: string, extra: Record<string, string | undefined> = {}) {
  return cliEnv(stateDir, { API_TOKEN: SECRET, ...extra });
}

/** `runbook run NAME` on the fixture playbooks. */
export function runFixture(name: string, env: Record<string, string | undefined>, args: string[] = []): Promise<CliResult> {
  return runCli(['--dir', BOOKS, 'run', name, ...args], { env });
}

export interface RunningDashboard {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then the exit code and output. */
  stop(): Promise<CliResult>;
}

/** `runbook dashboard --port 0 ...` as a user starts it; resolves with its URL once it prints it. */
export function startDashboard(args: string[], env: Record<string, string | undefined>, dir = BOOKS): Promise<RunningDashboard> {
  const child = spawn(process.execPath, [BIN, '--dir', dir, 'dashboard', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const url = /runbook dashboard: (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ url, child, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((result) => reject(new Error(`dashboard exited ${result.code} before listening: ${result.stderr}`)));
  });
}

export interface RawRun {
  run_id: string;
  started_at: string;
  status?: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  /** A shell step's stdout. */
  output?: string;
  /** Steps that measured a number. */
  readings?: { id: string; name: string; value: number }[];
}

/** Records written by hand, as an older runbook (or another store) might have left them: unmasked. Oldest first. */
export function writeRawRuns(stateDir: string, playbook: string, runs: RawRun[]): void {
  const dir = path.join(stateDir, 'runs', encodeURIComponent(playbook));
  mkdirSync(dir, { recursive: true });
  const index = runs.map((run) => {
    const status = run.status ?? 'OK';
    const steps = [
      ...(run.readings ?? []).map((r) => ({ id: r.id, name: r.name, type: 'assert-threshold', status: 'ok', level: 'ok', value: r.value, output: {}, duration_ms: 1, attempts: 1 })),
      ...(run.output === undefined ? [] : [{ name: 'Raw step', type: 'shell', status: 'ok', level: 'ok', output: { stdout: run.output }, duration_ms: 5, attempts: 1 }]),
    ];
    const summary = `${playbook.toUpperCase()} ${status} - ${run.output ?? `${steps.length} steps`}`;
    const record = {
      format: 1, playbook, title: 'Raw', run_id: run.run_id, host: 'old-box', pid: 1, status, exit_code: 0, started_at: run.started_at,
      finished_at: run.started_at, duration_ms: 5, summary, alerts: [], simulated: [], params: {}, steps,
    };
    writeFileSync(path.join(dir, `${run.run_id}.json`), JSON.stringify(record));
    return { run_id: run.run_id, status, started_at: run.started_at, duration_ms: 5, summary };
  });
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
}

export function writeRawRecord(stateDir: string, record: { playbook: string; run_id: string; started_at: string; output: string }): void {
  writeRawRuns(stateDir, record.playbook, [record]);
}
