/**
 * The process groups of step commands running now in this process. The run records them in its
 * lock, so that if runbook itself is killed outright (SIGKILL, out of memory) the next run can end
 * what its steps left running. A leaf: steps report here, the run listens.
 */
const live = new Set<number>();
const listeners = new Set<(pgid: number, running: boolean) => void>();

export function groupStarted(pgid: number): void {
  live.add(pgid);
  for (const listener of listeners) listener(pgid, true);
}

export function groupEnded(pgid: number): void {
  if (!live.delete(pgid)) return;
  for (const listener of listeners) listener(pgid, false);
}

/** Calls `listener` each time a group starts or ends; returns the unsubscribe. */
export function watchGroups(listener: (pgid: number, running: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
