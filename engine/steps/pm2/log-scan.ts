import { closeSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
import type { Matcher } from './log-match.js';
import type { TimeOf } from './log-time.js';

const CHUNK = 4 * 1024 * 1024;
const PROBE = 64 * 1024;
const NEWLINE = 10;

export interface ScanOptions {
  file: string;
  matcher: Matcher;
  /** Only lines at or after this time (epoch ms). */
  since?: number;
  /** How lines carry their time; without it only the file's mtime is known. */
  timeOf?: TimeOf;
  /** How many of the last matching lines to keep. */
  keep: number;
  /** Where to start reading (a log without timestamps resumes where the previous scan stopped). */
  from?: number;
  signal: AbortSignal;
}

export interface MatchedLine {
  time: number | undefined;
  text: string;
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
 * one chunk of memory. With `timeOf`, a line's time is its own stamp or, for lines that carry
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
    let chunk = Buffer.allocUnsafe(CHUNK);
    let carried = 0;
    const carry = { time: undefined as number | undefined };
    for (;;) {
      // Reads are synchronous (a third faster than through the thread pool); a turn of the
      // event loop between chunks lets a timeout or an interrupt stop a long scan.
      await setImmediate();
      if (opts.signal.aborted) throw new Error(`stopped while scanning ${opts.file}`);
      // A line longer than the chunk: make room for it.
      if (carried === chunk.length) chunk = Buffer.concat([chunk, Buffer.allocUnsafe(chunk.length)]);
      const bytesRead = readSync(fd, chunk, carried, chunk.length - carried, position);
      position += bytesRead;
      result.bytes += bytesRead;
      const filled = carried + bytesRead;
      // Whole lines only; the unfinished last one waits for the next read (or the end of the file).
      const end = bytesRead === 0 ? filled : chunk.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (end > 0) scanChunk({ chunk, end, opts, result, carry, mtime: info.mtimeMs });
      if (bytesRead === 0) return { ...result, end: position };
      chunk.copy(chunk, 0, end, filled);
      carried = filled - end;
    }
  } finally {
    closeSync(fd);
  }
}

/** Where the line holding byte `at` starts (a negative offset would make lastIndexOf search from the end). */
function lineStart(chunk: Buffer, at: number): number {
  return at <= 0 ? 0 : chunk.lastIndexOf(NEWLINE, at - 1) + 1;
}

function lineEnd(chunk: Buffer, from: number, end: number): number {
  const nl = chunk.indexOf(NEWLINE, from);
  return nl < 0 || nl >= end ? end : nl;
}

/**
 * Times the lines of one chunk, taken in order: a line without a stamp (a stack trace's) has the
 * time of the nearest stamped line above it, or `carried` from the chunk before. Walking up stops
 * at the last line already timed, so timing every line of a chunk costs one pass.
 */
class ChunkClock {
  private knownPos = 0;

  constructor(private readonly chunk: Buffer, private readonly end: number, private readonly timeOf: TimeOf, private knownTime: number | undefined) {}

  at(start: number): number | undefined {
    for (let s = start; s >= this.knownPos; s = lineStart(this.chunk, s - 1)) {
      const time = this.timeOf(this.chunk.toString('latin1', s, lineEnd(this.chunk, s, this.end)));
      if (time !== undefined) {
        this.knownTime = time;
        break;
      }
      if (s === 0) break;
    }
    this.knownPos = start;
    return this.knownTime;
  }
}

interface ChunkState {
  chunk: Buffer;
  end: number;
  opts: ScanOptions;
  result: ScanResult;
  /** The time of the last line of the chunk before (its stamp, or the one it inherited). */
  carry: { time: number | undefined };
  mtime: number;
}

function scanChunk(state: ChunkState): void {
  const { chunk, end, opts, result } = state;
  const timeOf = opts.timeOf;
  const carried = state.carry.time;
  const clock = () => new ChunkClock(chunk, end, timeOf!, carried);
  // Logs are appended in time order, so the first and last lines place the whole chunk: wholly
  // before the window (skipped), wholly inside (no line needs timing), or across its start.
  let timeEach = false;
  if (timeOf) {
    const last = clock().at(lineStart(chunk, end - 1));
    state.carry.time = last;
    if (opts.since !== undefined) {
      if (last === undefined || last < opts.since) return;
      const first = clock().at(0);
      timeEach = first === undefined || first < opts.since;
    }
  }
  const lineClock = timeEach ? clock() : undefined;
  const find = opts.matcher.inChunk(chunk, end);
  const recent: { start: number; stop: number }[] = [];
  for (let at = find(0); at >= 0 && at < end; at = find(at)) {
    const start = lineStart(chunk, at);
    const stop = lineEnd(chunk, at, end);
    // One count per line, however often it matches (as grep -c); the next search starts on the next line.
    at = stop + 1;
    if (lineClock) {
      const time = lineClock.at(start);
      if (time === undefined || time < opts.since!) continue;
    }
    result.matches++;
    if (opts.keep === 0) continue;
    // Decode only the chunk's last matches: decoding every one would cost more than finding it.
    recent.push({ start, stop });
    if (recent.length === 2 * opts.keep) recent.splice(0, opts.keep);
  }
  if (recent.length === 0) return;
  const lines = recent.slice(-opts.keep).map((line) => ({
    time: timeOf ? clock().at(line.start) : state.mtime,
    text: chunk.toString('utf8', line.start, line.stop),
  }));
  result.last = [...result.last, ...lines].slice(-opts.keep);
}
