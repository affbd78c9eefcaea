import { closeSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
import { keptLines, scanChunk, type ChunkMatches, type LineFilter, type MatchedLine } from './log-chunk.js';
import type { TimeOf } from './log-time.js';

export type { MatchedLine };

// Reads this size (two buffers of them) are still in the CPU's cache when they are searched:
// 1.2x faster than 4 MiB reads; 256 KiB is 5% slower, 128 KiB 10% (more reads).
export const CHUNK = 512 * 1024;
// A turn of the event loop after this much reading, not after every read (which costs 8%).
const YIELD_AFTER = 4 * 1024 * 1024;
const PROBE = 64 * 1024;
const NEWLINE = 10;

export interface ScanOptions extends LineFilter {
  file: string;
  /** Where to start reading (a log without timestamps resumes where the previous scan stopped). */
  from?: number;
  signal: AbortSignal;
}

export interface ScanResult {
  matches: number;
  last: MatchedLine[];
  bytes: number;
  /** Where reading stopped: the next scan of an unstamped log resumes here. */
  end: number;
}

/**
 * Where to start reading for lines from `since`: lines are appended in time order, so bisecting
 * on stamps finds a stamped line older than the window; everything before it is older too. 0
 * when a probe finds no stamp to judge by.
 */
function windowStart(fd: number, size: number, since: number, timeOf: TimeOf): number {
  const probe = Buffer.allocUnsafe(PROBE);
  let lo = 0;
  let hi = size;
  while (hi - lo > CHUNK) {
    const mid = Math.floor((lo + hi) / 2);
    const text = probe.toString('latin1', 0, readSync(fd, probe, 0, PROBE, mid));
    // The first whole stamped line after `mid`.
    let at = text.indexOf('\n') + 1;
    let time: number | undefined;
    while (at > 0 && time === undefined) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) break;
      time = timeOf(text.slice(at, nl));
      if (time === undefined) at = nl + 1;
    }
    if (time === undefined) break;
    if (time < since) lo = mid + at;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts the lines of a log that match, streaming it in fixed chunks so a log of many GiB costs
 * two chunks of memory. With `timeOf`, a line's time is its own stamp or, for lines that carry
 * none (a stack trace), the nearest stamped line above it, and the part of the file before the
 * window is not read at all. Without, the whole file counts when it was modified inside the
 * window: which of its lines are recent cannot be known.
 */
export async function scanFile(opts: ScanOptions): Promise<ScanResult> {
  const result: ScanResult = { matches: 0, last: [], bytes: 0, end: 0 };
  const info = await stat(opts.file).catch(() => undefined);
  if (!info?.isFile()) return result;
  // No line of a file last written before the window can be inside it, whatever it says.
  if (opts.since !== undefined && info.mtimeMs < opts.since) return { ...result, end: info.size };
  const fd = openSync(opts.file, 'r');
  try {
    let position = opts.since !== undefined && opts.timeOf ? windowStart(fd, info.size, opts.since, opts.timeOf) : opts.from ?? 0;
    // Two buffers in turn: a chunk's matched lines stay undecoded in one while the next chunk is
    // read into the other and tells whether they are still among the last ones.
    const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    const carry = { time: undefined as number | undefined };
    let previous: ChunkMatches | undefined;
    // The unfinished last line of the chunk before: `[start, filled)` of its buffer.
    let carried = { from: buffers[1]!, start: 0, filled: 0 };
    let unyielded = 0;
    for (let turn = 0; ; turn ^= 1) {
      // Reads are synchronous (a third faster than through the thread pool); a turn of the
      // event loop now and then lets a timeout or an interrupt stop a long scan.
      if (unyielded >= YIELD_AFTER) {
        await setImmediate();
        unyielded = 0;
      }
      if (opts.signal.aborted) throw new Error(`stopped while scanning ${opts.file}`);
      const length = carried.filled - carried.start;
      // A line longer than half a chunk: make room for it and as much again.
      if (2 * length > buffers[turn]!.length) buffers[turn] = Buffer.allocUnsafe(2 * length);
      const chunk = buffers[turn]!;
      carried.from.copy(chunk, 0, carried.start, carried.filled);
      const bytesRead = readSync(fd, chunk, length, chunk.length - length, position);
      position += bytesRead;
      unyielded += bytesRead;
      result.bytes += bytesRead;
      const filled = length + bytesRead;
      // Whole lines only; the unfinished last one waits for the next read (or the end of the file).
      const end = bytesRead === 0 ? filled : chunk.lastIndexOf(NEWLINE, filled - 1) + 1;
      const found = end > 0 ? scanChunk({ chunk, end, filter: opts, carry }) : undefined;
      result.matches += found?.count ?? 0;
      if (previous) keep(result, keptLines({ found: previous, count: opts.keep - (found?.kept.length ?? 0), filter: opts, mtime: info.mtimeMs }), opts.keep);
      if (bytesRead === 0) {
        if (found) keep(result, keptLines({ found, count: opts.keep, filter: opts, mtime: info.mtimeMs }), opts.keep);
        return { ...result, end: position };
      }
      previous = found;
      carried = { from: chunk, start: end, filled };
    }
  } finally {
    closeSync(fd);
  }
}

function keep(result: ScanResult, lines: MatchedLine[], count: number): void {
  if (lines.length > 0) result.last = [...result.last, ...lines].slice(-count);
}
