import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface ProcessResult {
  exitCode: number | null;
  /** The signal that ended the process, when one did. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The run was stopped by the abort signal (timeout or interrupt). */
  aborted: boolean;
}

export interface ProcessOptions {
  file: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal: AbortSignal;
  /** Runs through `sudo -n` (non-interactive: fails rather than asking for a password). */
  sudo?: boolean;
  /** Variables the command needs under sudo, which resets the environment: passed through `env`. */
  sudoEnv?: Record<string, string>;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How long SIGTERM gets before SIGKILL. */
  graceMs?: number;
}

const PIPE_DRAIN_MS = 1000;

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Runs a command in its own process group and, when `signal` aborts, kills the whole group:
 * killing only the shell would leave its children running and holding the output pipes.
 */
export async function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  const { execa } = await import('execa'); // heavy: only when a step starts a process
  const assignments = Object.entries(opts.sudoEnv ?? {}).map(([name, value]) => `${name}=${value}`);
  const [file, args] = opts.sudo && !isRoot() ? ['sudo', ['-n', '--', 'env', ...assignments, opts.file, ...opts.args]] : [opts.file, opts.args];
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    detached: true,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: true,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream] as Readable | null;
    if (source && opts.onLine) createInterface({ input: source }).on('line', (line) => opts.onLine!(line, stream));
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
  const onAbort = () => {
    aborted = true;
    killGroup('SIGTERM');
    killTimer = setTimeout(() => killGroup('SIGKILL'), opts.graceMs ?? 2000);
  };
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  // A process that left the group (setsid, a daemon) can hold the pipes open after the shell
  // exits: stop reading shortly after, or the step would wait for it.
  let drainTimer: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    drainTimer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, PIPE_DRAIN_MS);
  });

  const result = await child;
  clearTimeout(drainTimer);
  opts.signal.removeEventListener('abort', onAbort);
  // The shell may have exited while children it left in the background still run: end them too.
  killGroup('SIGKILL');
  clearTimeout(killTimer);
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    aborted,
  };
}
