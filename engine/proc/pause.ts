/** Blocks this thread for `ms`: for the lock's synchronous work before a run starts, where nothing else is to be done. */
export function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
