import { rmSync } from 'node:fs';

/**
 * Removes a file runbook made, when it can. Cleaning up must never hide the error that made it
 * necessary: `force` only forgives a missing file, not a folder one may not enter (EACCES), a path
 * through a file (ENOTDIR) or a file system gone read-only (EROFS).
 */
export function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // left behind: the next run's lock holder removes what it can
  }
}
