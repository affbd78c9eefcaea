import { parseDuration, formatDuration } from '../duration.js';
import { errorMessage } from '../errors.js';
import { StepFailure } from '../steps/failure.js';
import { runProcess } from '../steps/support/process.js';
import type { AnyStepType, StepOutcome, StepPorts, StepRunContext } from '../steps/types.js';

const DEFAULT_RETRY_DELAY = 1000;
// How long a step gets to stop on its own after its signal aborts, before the run moves on.
const ABORT_GRACE_MS = 5000;

export interface Attempted {
  outcome?: StepOutcome;
  error?: string;
  output: Record<string, unknown>;
  attempts: number;
}

interface ExecuteOptions {
  type: AnyStepType;
  ctx: Omit<StepRunContext<unknown>, 'signal' | 'sudo'> & Partial<StepPorts>;
  timeout?: string;
  retries?: number;
  retryDelay?: string;
  sudo?: boolean;
  /** The run's own signal (interrupt). */
  interrupt: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Rejects once `signal` has been aborted for `grace` ms: a step that ignores its signal cannot hang the run. */
function abandonAfter(signal: AbortSignal, grace: number): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => {
      timer = setTimeout(() => reject(new Error('did not stop after its time ran out')), grace);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, cancel: () => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); } };
}

async function sudoAllowed(signal: AbortSignal): Promise<string | undefined> {
  if (process.getuid?.() === 0) return undefined;
  const check = await runProcess({ file: 'sudo', args: ['-n', 'true'], signal });
  if (check.exitCode === 0) return undefined;
  const user = process.env.USER ?? `uid ${process.getuid?.()}`;
  const why = check.startError ? 'sudo is not installed' : check.stderr.trim() || `sudo exited ${check.exitCode}`;
  return `needs root, and \`sudo -n\` is not allowed for ${user} (${why}): run runbook as root or allow it in sudoers`;
}

async function attempt(opts: ExecuteOptions): Promise<StepOutcome> {
  const timeoutMs = opts.timeout ? parseDuration(opts.timeout) : undefined;
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, opts.interrupt]);
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(`the step's timeout (${opts.timeout})`), timeoutMs);
  const guard = abandonAfter(signal, ABORT_GRACE_MS);
  try {
    // The ports are those the type asked for (run-step.ts built them from `ports`).
    return await Promise.race([opts.type.run({ ...opts.ctx, signal, sudo: opts.sudo ?? false } as StepRunContext<unknown> & StepPorts), guard.promise]);
  } catch (error) {
    if (controller.signal.aborted) {
      const output = error instanceof StepFailure ? error.output : {};
      throw new StepFailure(`timed out after ${formatDuration(timeoutMs!)}; its processes were killed`, output);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    guard.cancel();
  }
}

/** Runs a step with its timeout, retries (the delay doubling each time) and sudo check. */
export async function executeStep(opts: ExecuteOptions): Promise<Attempted> {
  if (opts.sudo) {
    const refused = await sudoAllowed(opts.interrupt);
    if (refused) return { error: refused, output: {}, attempts: 0 };
  }
  const tries = 1 + (opts.retries ?? 0);
  let delay = opts.retryDelay ? parseDuration(opts.retryDelay) : DEFAULT_RETRY_DELAY;
  let last: Attempted = { output: {}, attempts: 0 };
  for (let n = 1; n <= tries; n++) {
    try {
      return { outcome: await attempt(opts), output: {}, attempts: n };
    } catch (error) {
      last = { error: errorMessage(error), output: error instanceof StepFailure ? error.output : {}, attempts: n };
    }
    if (opts.interrupt.aborted || n === tries) break;
    opts.ctx.log(`attempt ${n} of ${tries} failed: ${last.error}; retrying in ${formatDuration(delay)}`, 'stderr');
    await sleep(delay, opts.interrupt);
    delay *= 2;
  }
  return last;
}
