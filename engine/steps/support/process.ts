import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { groupEnded, groupStarted } from './process-groups.js';

export interface ProcessResult {
  exitCode: number | null;
  /** The signal that ended the process, when one did. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The run was stopped by the abort signal (timeout or interrupt). */
  aborted: boolean;
  /** Why the command could not start at all (no such cwd or interpreter). */
  startError?: string;
  /** The output passed MAX_OUTPUT_BYTES: the command was stopped and its output cut. */
  overflow: boolean;
}

export interface ProcessOptions {
  file: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal: AbortSignal;
  /** Runs through `sudo -n` (non-interactive: fails rather than asking for a password). */
  sudo?: boolean;
  /** Names of variables (already in `env`) the command needs under sudo, which resets the environment. */
  sudoEnv?: string[];
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How long SIGTERM gets before SIGKILL. */
  graceMs?: number;
}

const PIPE_DRAIN_MS = 1000;
// Steps are checks and maintenance commands, not data pipes: past this, a runaway is stopped.
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Runs a command in its own process group and, when `signal` aborts, kills the whole group:
 * killing only the shell would leave its children running and holding the output pipes.
 */
export async function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  // Values stay in the environment (not on a command line any user can read with ps).
  const keep = opts.sudoEnv?.length ? [`--preserve-env=${opts.sudoEnv.join(',')}`] : [];
  const [file, args] = opts.sudo && !isRoot() ? ['sudo', ['-n', ...keep, '--', opts.file, ...opts.args]] : [opts.file, opts.args];
  // child_process itself: execa costs ~2 ms more per process (and ~150 ms to import).
  const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const group = child.pid;
  if (group) groupStarted(group);
  const output = { stdout: '', stderr: '' };
  let overflow = false;
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      if (output[stream].length < MAX_OUTPUT_BYTES) output[stream] += chunk;
      else if (!overflow) {
        overflow = true; // a runaway command must not exhaust memory: stop it, keep what came
        stop();
        child.stdout.destroy();
        child.stderr.destroy();
      }
    });
    if (opts.onLine) createInterface({ input: child[stream] }).on('line', (line) => opts.onLine!(line, stream));
  }

  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const killGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  /** SIGTERM to the whole group, SIGKILL after the grace period for what ignores it. */
  const stop = () => {
    killGroup('SIGTERM');
    killTimer ??= setTimeout(() => killGroup('SIGKILL'), opts.graceMs ?? 2000);
  };
  const onAbort = () => {
    aborted = true;
    stop();
  };
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  // A process that left the group (setsid, a daemon) can hold the pipes open after the shell
  // exits: stop reading shortly after, or the step would wait for it.
  let drainTimer: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    drainTimer = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, PIPE_DRAIN_MS);
  });

  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error)); // it could not start: 'close' follows
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (...end) => resolve(end)));
  clearTimeout(drainTimer);
  opts.signal.removeEventListener('abort', onAbort);
  // The shell may have exited while children it left in the background still run: end them too.
  killGroup('SIGKILL');
  if (group) groupEnded(group);
  clearTimeout(killTimer);
  const strip = (text: string) => text.replace(/\r?\n$/, '');
  return {
    exitCode: spawnError ? null : exitCode,
    signal,
    stdout: strip(output.stdout),
    stderr: strip(output.stderr),
    aborted,
    overflow,
    ...(spawnError ? { startError: spawnError.message } : {}),
  };
}
