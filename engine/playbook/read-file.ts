import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** The largest playbook runbook reads: real ones are a few KiB; this bounds memory and parse time. */
export const MAX_PLAYBOOK_BYTES = 1024 * 1024;

const KINDS: [(stats: Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isFIFO(), 'a named pipe'],
  [(s) => s.isSocket(), 'a socket'],
];

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const tooBig = (size: string) => `the file is ${size}: playbooks are limited to ${megabytes(MAX_PLAYBOOK_BYTES)}, refused`;

/** Why a playbook file cannot be read, on one line, without the file name (the caller adds it). */
export class PlaybookFileError extends Error {}

/**
 * The text of a playbook file, refusing what is not a regular file (a link to /dev/zero, a
 * FIFO) or is over MAX_PLAYBOOK_BYTES, before reading more than the limit. Opened non-blocking
 * so a FIFO cannot hang the open, then checked on the open descriptor (no race with a rename).
 */
export function readPlaybookText(file: string): string {
  try {
    return readBounded(file);
  } catch (error) {
    if (error instanceof PlaybookFileError) throw error;
    throw new PlaybookFileError(`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readBounded(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const kind = KINDS.find(([test]) => test(stats))?.[1] ?? 'something else';
      throw new PlaybookFileError(`not a regular file (${kind}): refused`);
    }
    if (stats.size > MAX_PLAYBOOK_BYTES) throw new PlaybookFileError(tooBig(megabytes(stats.size)));
    // Counted again while reading: the file may grow after fstat, and /proc files say size 0.
    const chunks: Buffer[] = [];
    let total = 0;
    for (let n = 1; n > 0; ) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      n = readSync(fd, chunk, 0, chunk.length, null);
      total += n;
      if (total > MAX_PLAYBOOK_BYTES) throw new PlaybookFileError(tooBig(`over ${megabytes(MAX_PLAYBOOK_BYTES)}`));
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
