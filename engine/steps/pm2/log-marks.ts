import { closeSync, openSync, readSync, statSync } from 'node:fs';

// The first bytes of a log tell a file apart from the one that replaced it: pm2-logrotate
// copies and truncates (the inode stays), logrotate's `create` renames (a new inode).
const HEAD_BYTES = 256;

/** Where the previous scan of a log without timestamps stopped. */
export interface LogMark {
  inode: number;
  offset: number;
  head: string;
  head_bytes: number;
  at: string;
}

export type LogMarks = Record<string, LogMark>;

/** The head's SHA-256. node:crypto is loaded here, not with the pm2 step: compiling it took ~5 ms of every pm2 step's run. */
async function headOf(file: string, bytes: number): Promise<string> {
  const { createHash } = await import('node:crypto');
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, buffer, 0, bytes, 0);
    return createHash('sha256').update(buffer.subarray(0, read)).digest('hex');
  } finally {
    closeSync(fd);
  }
}

function isMark(value: unknown): value is LogMark {
  const mark = value as LogMark;
  return typeof mark === 'object' && mark !== null && [mark.inode, mark.offset, mark.head_bytes].every(Number.isInteger) && typeof mark.head === 'string';
}

/** The marks a step saved, by file; anything unreadable counts as none (a first scan). */
export function marksOf(saved: unknown): LogMarks {
  const files = (saved as { files?: unknown } | undefined)?.files;
  if (typeof files !== 'object' || files === null) return {};
  return Object.fromEntries(Object.entries(files).filter(([, mark]) => isMark(mark))) as LogMarks;
}

/** Where to start reading an unstamped log, and the window that gives, in words. */
export async function resumeAt(file: string, mark: LogMark | undefined): Promise<{ from: number; window: string }> {
  if (!mark) return { from: 0, window: 'the whole file (first scan)' };
  const info = statSync(file, { throwIfNoEntry: false });
  const same = info && info.ino === mark.inode && info.size >= mark.offset && info.size >= mark.head_bytes && (await headOf(file, mark.head_bytes)) === mark.head;
  if (!same) return { from: 0, window: `the whole file (rotated or truncated since the scan at ${mark.at})` };
  return { from: mark.offset, window: `what was appended since the scan at ${mark.at}` };
}

/** The mark after reading `file` up to `offset` in the scan that started at `at` (ISO time). */
export async function markAt(file: string, offset: number, at: string): Promise<LogMark | undefined> {
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info) return undefined;
  const headBytes = Math.min(HEAD_BYTES, offset);
  return { inode: info.ino, offset, head: await headOf(file, headBytes), head_bytes: headBytes, at };
}
