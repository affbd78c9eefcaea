/**
 * The process groups of step commands running now in this process. The run records them in its
 * lock, so that if runbook itself is killed outright (SIGKILL, out of memory) the next run can end
 * what its steps left running. A leaf: steps report here, the run listens.
 */
const live = new Set<number>();
const listeners = new Set<(groups: number[]) => void>();

function changed(): void {
  for (const listener of listeners) listener([...live]);
}

export function groupStarted(pgid: number): void {
  live.add(pgid);
  changed();
}

export function groupEnded(pgid: number): void {
  if (live.delete(pgid)) changed();
}

/** Calls `listener` with every live group each time one starts or ends; returns the unsubscribe. */
export function watchGroups(listener: (groups: number[]) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
