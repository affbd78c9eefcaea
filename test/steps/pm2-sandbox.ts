import { execa } from 'execa';
import { afterAll, beforeAll, expect } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, cliEnv, FIXTURES, ROOT, runCli, tempDir, type CliResult } from '../support/cli.js';

export const PM2_FIXTURES = path.join(FIXTURES, 'pm2');
const PM2_BIN = path.join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');

/** What `runbook run --json` prints, as far as these tests read it. */
export interface JsonRun {
  status: string;
  exit_code: number;
  summary: string;
  steps: { id?: string; status: string; level: string; value: unknown; output: Record<string, any>; error?: string; message?: string }[];
}

/** Polls `check` until it returns something truthy; a loaded machine gets plenty of time. */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 45_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * A PM2 home of its own (its daemon is started by the real `pm2` CLI), a state directory and a
 * playbook directory for runbook. `destroy` kills the daemon and its apps and checks they are gone.
 */
export class Pm2Sandbox {
  readonly home: string;
  private readonly dirs = [tempDir('runbook-pm2-'), tempDir('runbook-pm2-state-'), tempDir('runbook-pm2-books-')];
  private pids = new Set<number>();

  constructor() {
    this.home = this.dirs[0]!.dir;
  }

  get logs(): string {
    return path.join(this.home, 'logs');
  }

  /** The real pm2 CLI under this home. */
  async pm2(args: string[]): Promise<CliResult> {
    const result = await execa(process.execPath, [PM2_BIN, ...args], { env: { ...process.env, PM2_HOME: this.home }, reject: false });
    return { code: result.exitCode ?? null, stdout: result.stdout, stderr: result.stderr };
  }

  /** `pm2 start CONFIG` from test/fixtures/pm2, remembering every pid for the final check. */
  async start(config: string): Promise<void> {
    const result = await this.pm2(['start', path.join(PM2_FIXTURES, config)]);
    if (result.code !== 0) throw new Error(`pm2 start ${config} failed: ${result.stderr}`);
    this.remember();
  }

  /** The daemon's process list (`pm2 jlist`), read without going through runbook. */
  async jlist(): Promise<any[]> {
    const result = await this.pm2(['jlist']);
    // The JSON is the last line (a first run may print pm2's banner before it).
    const list = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as any[];
    for (const proc of list) if (proc.pid) this.pids.add(proc.pid);
    return list;
  }

  daemonPid(): number | undefined {
    try {
      return Number(readFileSync(path.join(this.home, 'pm2.pid'), 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  private remember(): void {
    const pid = this.daemonPid();
    if (pid) this.pids.add(pid);
  }

  /** Writes `playbooks/NAME.yaml` from a list of steps (YAML text). */
  playbook(name: string, steps: string): void {
    const file = path.join(this.dirs[2]!.dir, `${name}.yaml`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `title: ${name}\nsteps:\n${steps}`);
  }

  /** `runbook run NAME` against this PM2 home, as a user runs it. */
  run(name: string, args: string[] = [], opts: { onSpawn?: Parameters<typeof runCli>[1]['onSpawn'] } = {}): Promise<CliResult> {
    return runCli(['--dir', this.dirs[2]!.dir, 'run', name, ...args], { env: cliEnv(this.dirs[1]!.dir, { PM2_HOME: this.home }), ...opts });
  }

  async runJson(name: string, args: string[] = []): Promise<JsonRun & { code: number | null }> {
    const result = await this.run(name, ['--json', ...args]);
    try {
      return { ...(JSON.parse(result.stdout) as JsonRun), code: result.code };
    } catch {
      throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
    }
  }

  /** Kills the daemon and its apps, removes the folders, and returns the pids still alive (none, we hope). */
  async destroy(): Promise<number[]> {
    this.remember();
    if (this.daemonPid()) await this.jlist().catch(() => []);
    if (this.daemonPid() && alive(this.daemonPid()!)) await this.pm2(['kill']);
    const survivors = await until('PM2 processes to end', () => {
      const left = [...this.pids].filter(alive);
      return left.length === 0 ? [] : undefined;
    }, 15_000).catch(() => [...this.pids].filter(alive));
    // Whatever happens to the assertion, nothing is left behind on the machine.
    for (const pid of survivors) process.kill(pid, 'SIGKILL');
    for (const dir of this.dirs) dir.remove();
    return survivors;
  }
}

/**
 * One sandbox for a test file: `setup` starts its apps before the tests; after them the daemon
 * is killed and no PM2 process (daemon or app) may be left.
 */
export function usePm2Sandbox(setup: (pm2: Pm2Sandbox) => Promise<void>): Pm2Sandbox {
  const sandbox = new Pm2Sandbox();
  beforeAll(() => setup(sandbox), 120_000);
  afterAll(async () => {
    const daemon = sandbox.daemonPid();
    expect(await sandbox.destroy()).toEqual([]);
    expect(daemon !== undefined && alive(daemon)).toBe(false);
  });
  return sandbox;
}
