import { closeSync, constants, fstatSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

/** Files runbook creates for its own use (records, locks, logs, reports): the owner's alone. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

const REFUSED: Record<string, string> = {
  ELOOP: 'is a symbolic link: refused (write to the file it points to instead)',
  ENXIO: 'is a named pipe: refused',
};

/**
 * Opens `file` for appending, creating it (0600) and its folder (0700) when missing. A symbolic
 * link is refused (ELOOP): in a shared folder such as /tmp another user could plant one and have
 * root append a run's output to any file it names. So is a named pipe planted there: opened
 * without O_NONBLOCK it would block the whole process (signals included) until a reader came.
 */
export function openAppendNoFollow(file: string): number {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIR });
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, PRIVATE_FILE);
  } catch (error) {
    const refused = REFUSED[(error as NodeJS.ErrnoException).code ?? ''];
    if (!refused) throw error;
    throw new Error(`${file} ${refused}`, { cause: error });
  }
  // A pipe with a reader opens: refused all the same (a device such as /dev/null is fine).
  const stats = fstatSync(fd);
  if (stats.isFIFO() || stats.isSocket()) {
    closeSync(fd);
    throw new Error(`${file} ${REFUSED.ENXIO}`);
  }
  return fd;
}
