import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'runbook');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A throwaway folder, removed by the returned function. */
export function tempDir(prefix = 'runbook-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A throwaway folder made before each test of the file and removed after it; read `.dir` inside a test. */
export function freshTempDir(): { readonly dir: string } {
  let current: ReturnType<typeof tempDir> | undefined;
  beforeEach(() => {
    current = tempDir();
  });
  afterEach(() => current?.remove());
  return {
    get dir() {
      return current!.dir;
    },
  };
}

/**
 * A clean environment for the CLI: no terminal, no CI colour tricks, its own state dir. Built
 * from nothing, so the caller's RUNBOOK_DIR, PG* or XDG_* never reach it; the env file and PM2
 * are pointed inside the state dir (a pm2 step must not find the developer's own daemon).
 */
export function cliEnv(stateDir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const { PATH, HOME, USER, LANG } = process.env;
  return {
    PATH, HOME, USER, LANG, NO_COLOR: '1',
    RUNBOOK_STATE_DIR: stateDir,
    RUNBOOK_ENV_FILE: path.join(stateDir, 'no-env-file'),
    PM2_HOME: path.join(stateDir, 'no-pm2'),
    ...extra,
  };
}

export interface CliOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Called with the child once it started (to signal it, say). */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/**
 * Runs `runbook ARGS` as a user would (bin/runbook itself: node from the CLI's start-up snapshot;
 * no terminal) and collects its output.
 */
export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd: opts.cwd ?? ROOT, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    opts.onSpawn?.(child);
  });
}

export { processAlive as alive } from '../../engine/proc/process-alive.js';
