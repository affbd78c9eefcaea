import { readFileSync } from 'node:fs';

/**
 * Whether a process is running. A zombie (exited, not yet reaped: common in containers whose
 * init does not reap) counts as gone.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Field 3 of /proc/PID/stat, after the parenthesised command name, is the state.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** The fields of /proc/PID/stat after the parenthesised name (which may hold spaces): field 3 is [0]. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Undefined where /proc does not exist (not Linux): the PID alone has to do there. */
export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat, the start time (clock ticks since boot): tells a process from a later one given the same PID. */
export function processStart(pid: number): number | undefined {
  const start = Number(statFields(pid)?.[22 - 3]);
  return Number.isInteger(start) ? start : undefined;
}

/** Field 5, the process group of `pid` (or of this process). */
export function processGroup(pid: number | 'self'): number | undefined {
  const pgid = Number(statFields(pid)?.[5 - 3]);
  return Number.isInteger(pgid) ? pgid : undefined;
}
