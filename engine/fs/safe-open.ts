import { constants, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

/** Files runbook creates for its own use (records, locks, logs, reports): the owner's alone. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/**
 * Opens `file` for appending, creating it (0600) and its folder (0700) when missing. A symbolic
 * link is refused (ELOOP): in a shared folder such as /tmp another user could plant one and have
 * root append a run's output to any file it names.
 */
export function openAppendNoFollow(file: string): number {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: PRIVATE_DIR });
  try {
    return openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, PRIVATE_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw new Error(`${file} is a symbolic link: refused (write to the file it points to instead)`, { cause: error });
  }
}
