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

function signalGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pgid) process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Runs a command with execa (the abort signal, the output bound, how it ended and why it could
 * not start) in its own process group, which this adds on top: execa signals only the process it started,
 * and killing only the shell would leave its children running and holding the output pipes.
 */
export async function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  // Values stay in the environment (not on a command line any user can read with ps).
  const keep = opts.sudoEnv?.length ? [`--preserve-env=${opts.sudoEnv.join(',')}`] : [];
  const [file, args] = opts.sudo && !isRoot() ? ['sudo', ['-n', ...keep, '--', opts.file, ...opts.args]] : [opts.file, opts.args];
  const { execa } = await import('execa'); // a chunk of its own: only runs that start commands load it
  const subprocess = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false, // the step's environment is exactly the one given
    detached: true, // its own process group
    stdin: 'ignore',
    cancelSignal: opts.signal,
    forceKillAfterDelay: false, // the group's SIGKILL is sent below
    maxBuffer: MAX_OUTPUT_BYTES,
    reject: false,
  });
  const group = subprocess.pid;
  if (group) groupStarted(group);

  let killTimer: NodeJS.Timeout | undefined;
  /** SIGTERM to the whole group, SIGKILL after the grace period for what ignores it. */
  const stop = () => {
    signalGroup(group, 'SIGTERM');
    killTimer ??= setTimeout(() => signalGroup(group, 'SIGKILL'), opts.graceMs ?? 2000);
  };
  // execa ends a cancelled command with kill(): make every kill it decides reach the whole group.
  subprocess.kill = (() => (stop(), true)) as typeof subprocess.kill;
  const running = () => subprocess.exitCode === null && subprocess.signalCode === null;
  for (const [name, stream] of [['stdout', subprocess.stdout], ['stderr', subprocess.stderr]] as const) {
    // Past maxBuffer execa stops reading (it destroys the stream) but leaves the command running.
    stream?.once('close', () => {
      if (!stream.readableEnded && running()) stop();
    });
    // Lines for the live log, read beside execa's buffer: its own line transform costs a generator
    // step per line (a runaway's 8 million lines took a minute here; readline, a second).
    if (opts.onLine && stream) createInterface({ input: stream }).on('line', (line) => opts.onLine!(line, name));
  }
  // A process that left the group (setsid, a daemon) can hold the pipes open after the shell
  // exits: stop reading shortly after, or the step would wait for it.
  let drainTimer: NodeJS.Timeout | undefined;
  subprocess.once('exit', () => {
    drainTimer = setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, PIPE_DRAIN_MS);
  });

  const result = await subprocess;
  clearTimeout(drainTimer);
  // The shell may have exited while children it left in the background still run: end them too.
  signalGroup(group, 'SIGKILL');
  if (group) groupEnded(group);
  clearTimeout(killTimer);
  const startError = result.exitCode === undefined && !result.isCanceled && !result.isMaxBuffer && !result.signal;
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    aborted: result.isCanceled,
    overflow: result.isMaxBuffer,
    ...(startError ? { startError: result.originalMessage || result.shortMessage } : {}),
  };
}
