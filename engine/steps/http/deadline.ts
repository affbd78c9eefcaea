/**
 * `signal`, also aborted (as a TimeoutError) after `ms`. Not `AbortSignal.any([s,
 * AbortSignal.timeout(ms)])`: on Node 20 the composite does not keep the timeout signal alive, a
 * garbage collection drops it, and the request then waits forever. Call `clear` when done.
 */
export function deadline(signal: AbortSignal, ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  return { signal: AbortSignal.any([signal, controller.signal]), clear: () => clearTimeout(timer) };
}
