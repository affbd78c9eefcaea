import { setTimeout as wait } from 'node:timers/promises';
import { formatDuration } from '../../duration.js';
import { errorMessage } from '../../errors.js';

export interface RetryOptions {
  /** Tries after the first one. */
  retries: number;
  /** Before the first retry; doubles each time. */
  delayMs: number;
  signal: AbortSignal;
  onRetry(message: string): void;
}

/** Calls `attempt` until it resolves, with a doubling delay; rethrows the last error with the count. */
export async function withRetries(attempt: () => Promise<void>, opts: RetryOptions): Promise<{ attempts: number }> {
  const tries = 1 + opts.retries;
  let delay = opts.delayMs;
  for (let n = 1; ; n++) {
    try {
      await attempt();
      return { attempts: n };
    } catch (error) {
      if (n === tries || opts.signal.aborted) {
        throw new Error(`after ${n} attempt${n === 1 ? '' : 's'}: ${errorMessage(error)}`, { cause: error });
      }
      opts.onRetry(`attempt ${n} of ${tries} failed: ${errorMessage(error)}; retrying in ${formatDuration(delay)}`);
    }
    // An abort ends the wait early; the next attempt then stops at once on the aborted signal.
    await wait(delay, undefined, { signal: opts.signal }).catch(() => undefined);
    delay *= 2;
  }
}
