import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BIN, cliEnv, FIXTURES, ROOT, runCli, type CliResult } from '../support/cli.js';

export const BOOKS = path.join(FIXTURES, 'dashboard');
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
export function startDashboard(args: string[], env: Record<string, string | undefined>): Promise<RunningDashboard> {
  const child = spawn(process.execPath, [BIN, '--dir', BOOKS, 'dashboard', '--port', '0', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** A record written by hand, as an older runbook (or another store) might have left it: unmasked. */
export function writeRawRecord(stateDir: string, record: { playbook: string; run_id: string; started_at: string; output: string }): void {
  const dir = path.join(stateDir, 'runs', encodeURIComponent(record.playbook));
  mkdirSync(dir, { recursive: true });
  const full = {
    format: 1, playbook: record.playbook, title: 'Raw', run_id: record.run_id, host: 'old-box', pid: 1, status: 'OK', exit_code: 0,
    started_at: record.started_at, finished_at: record.started_at, duration_ms: 5, summary: `RAW OK - ${record.output}`, alerts: [],
    simulated: [], params: {},
    steps: [{ name: 'Raw step', type: 'shell', status: 'ok', level: 'ok', output: { stdout: record.output }, duration_ms: 5, attempts: 1 }],
  };
  writeFileSync(path.join(dir, `${record.run_id}.json`), JSON.stringify(full));
  const { run_id, status, started_at, duration_ms, summary } = full;
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify([{ run_id, status, started_at, duration_ms, summary }]));
}
