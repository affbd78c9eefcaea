import { open, stat } from 'node:fs/promises';
import type { TimeOf } from './log-time.js';

const CHUNK = 4 * 1024 * 1024;
const NEWLINE = 10;

/**
 * Finds matches in one chunk: `inChunk` gives a search from a byte offset to the next match, or
 * -1. A plain word is searched in the raw bytes (as fast as grep); a regular expression runs on
 * the chunk decoded as latin1, where one character is one byte, so its offsets are bytes too.
 */
export interface Matcher {
  inChunk(chunk: Buffer, end: number): (from: number) => number;
}

const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

export function matcher(pattern: string, ignoreCase: boolean): Matcher {
  if (!ignoreCase && !REGEX_SYNTAX.test(pattern)) {
    const needle = Buffer.from(pattern, 'utf8');
    return { inChunk: (chunk, end) => (from) => {
      const at = chunk.indexOf(needle, from);
      return at >= 0 && at + needle.length <= end ? at : -1;
    } };
  }
  // Written as its UTF-8 bytes, so a non-ASCII character in the pattern still matches.
  const regex = new RegExp(Buffer.from(pattern, 'utf8').toString('latin1'), ignoreCase ? 'gim' : 'gm');
  return { inChunk: (chunk, end) => {
    const text = chunk.toString('latin1', 0, end);
    return (from) => {
      regex.lastIndex = from;
      return regex.exec(text)?.index ?? -1;
    };
  } };
}

export interface ScanOptions {
  file: string;
  matcher: Matcher;
  /** Only lines at or after this time (epoch ms). */
  since?: number;
  /** How lines carry their time; without it only the file's mtime is known. */
  timeOf?: TimeOf;
  /** How many of the last matching lines to keep. */
  keep: number;
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
}

/** The last line start whose time is known, and that time (carried from chunk to chunk). */
interface Clock {
  knownPos: number;
  knownTime: number | undefined;
}

/**
 * Counts the lines of a log that match, streaming it in fixed chunks so a log of many GiB costs
 * one chunk of memory. With `timeOf`, a line's time is its own stamp or, for lines that carry
 * none (a stack trace), the nearest stamped line above it. Without, the whole file counts when
 * it was modified inside the window: which of its lines are recent cannot be known.
 */
export async function scanFile(opts: ScanOptions): Promise<ScanResult> {
  const result: ScanResult = { matches: 0, last: [], bytes: 0 };
  const info = await stat(opts.file).catch(() => undefined);
  // No line of a file last written before the window can be inside it, whatever it says.
  if (!info?.isFile() || (opts.since !== undefined && info.mtimeMs < opts.since)) return result;
  const handle = await open(opts.file, 'r');
  try {
    let chunk = Buffer.allocUnsafe(CHUNK);
    let carried = 0;
    const clock: Clock = { knownPos: 0, knownTime: undefined };
    for (;;) {
      if (opts.signal.aborted) throw new Error(`stopped while scanning ${opts.file}`);
      // A line longer than the chunk: make room for it.
      if (carried === chunk.length) chunk = Buffer.concat([chunk, Buffer.allocUnsafe(chunk.length)]);
      const { bytesRead } = await handle.read(chunk, carried, chunk.length - carried, null);
      result.bytes += bytesRead;
      const filled = carried + bytesRead;
      // Whole lines only; the unfinished last one waits for the next read (or the end of the file).
      const end = bytesRead === 0 ? filled : chunk.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (end > 0) scanChunk({ chunk, end, opts, result, clock, mtime: info.mtimeMs });
      if (bytesRead === 0) return result;
      chunk.copy(chunk, 0, end, filled);
      carried = filled - end;
    }
  } finally {
    await handle.close();
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

/** The time of the line starting at `start`; walks up only to the last line already timed, so a chunk costs one pass. */
function timeAt(chunk: Buffer, at: { start: number; end: number }, clock: Clock, timeOf: TimeOf): number | undefined {
  for (let s = at.start; s >= clock.knownPos; s = lineStart(chunk, s - 1)) {
    const time = timeOf(chunk.toString('latin1', s, lineEnd(chunk, s, at.end)));
    if (time !== undefined) {
      clock.knownTime = time;
      break;
    }
    if (s === 0) break;
  }
  clock.knownPos = at.start;
  return clock.knownTime;
}

function scanChunk(state: { chunk: Buffer; end: number; opts: ScanOptions; result: ScanResult; clock: Clock; mtime: number }): void {
  const { chunk, end, opts, result, clock } = state;
  const find = opts.matcher.inChunk(chunk, end);
  const recent: { time: number | undefined; start: number; stop: number }[] = [];
  clock.knownPos = 0;
  for (let at = find(0); at >= 0 && at < end; at = find(at)) {
    const start = lineStart(chunk, at);
    const stop = lineEnd(chunk, at, end);
    // One count per line, however often it matches (as grep -c); the next search starts on the next line.
    at = stop + 1;
    const time = opts.timeOf ? timeAt(chunk, { start, end }, clock, opts.timeOf) : state.mtime;
    if (opts.since !== undefined && (time === undefined || time < opts.since)) continue;
    result.matches++;
    if (opts.keep === 0) continue;
    // Decode only the chunk's last matches: decoding every one would cost more than finding it.
    recent.push({ time, start, stop });
    if (recent.length === 2 * opts.keep) recent.splice(0, opts.keep);
  }
  if (recent.length > 0) {
    const lines = recent.slice(-opts.keep).map((line) => ({ time: line.time, text: chunk.toString('utf8', line.start, line.stop) }));
    result.last = [...result.last, ...lines].slice(-opts.keep);
  }
  // The next chunk's first lines may carry no stamp: they inherit the last one here.
  if (opts.timeOf) timeAt(chunk, { start: lineStart(chunk, end - 1), end }, clock, opts.timeOf);
}
