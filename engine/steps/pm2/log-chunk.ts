import type { Matcher } from './log-match.js';
import type { TimeOf } from './log-time.js';

const NEWLINE = 10;

/** Which lines of a log count, and how many of the last ones to keep. */
export interface LineFilter {
  matcher: Matcher;
  /** Only lines at or after this time (epoch ms). */
  since?: number;
  /** How lines carry their time; without it only the file's mtime is known. */
  timeOf?: TimeOf;
  /** How many of the last matching lines to keep. */
  keep: number;
}

export interface MatchedLine {
  time: number | undefined;
  text: string;
}

/**
 * A chunk's counted lines, and its last `keep` of them still as offsets (of a match in the line):
 * decoding is left until it is known that too few matches follow to push them
 * out of the kept lines, which in a busy log is true only of the last chunk.
 */
export interface ChunkMatches {
  chunk: Buffer;
  end: number;
  count: number;
  kept: number[];
  /** The time of the line before the chunk (its own stamp, or the one it inherited). */
  carried: number | undefined;
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

/**
 * Counts the matching lines of a chunk's whole lines `[0, end)`. `carry` holds the time of the
 * last line of the chunk before, and is moved on to this chunk's last line.
 */
export function scanChunk(opts: { chunk: Buffer; end: number; filter: LineFilter; carry: { time: number | undefined } }): ChunkMatches {
  const { chunk, end, filter, carry } = opts;
  const found: ChunkMatches = { chunk, end, count: 0, kept: [], carried: carry.time };
  const { timeOf, since } = filter;
  // Logs are appended in time order, so the first and last lines place the whole chunk: wholly
  // before the window (skipped), wholly inside (no line needs timing), or across its start.
  let lineClock: ChunkClock | undefined;
  if (timeOf) {
    const last = new ChunkClock(chunk, end, timeOf, found.carried).at(lineStart(chunk, end - 1));
    carry.time = last;
    if (since !== undefined) {
      if (last === undefined || last < since) return found;
      const first = new ChunkClock(chunk, end, timeOf, found.carried).at(0);
      if (first === undefined || first < since) lineClock = new ChunkClock(chunk, end, timeOf, found.carried);
    }
  }
  const find = filter.matcher.inChunk(chunk, end);
  // One count per line, however often it matches (as grep -c): the next search starts on the next line.
  for (let at = find(0); at >= 0; at = find(lineEnd(chunk, at, end) + 1)) {
    if (lineClock) {
      const time = lineClock.at(lineStart(chunk, at));
      if (time === undefined || time < since!) continue;
    }
    found.count++;
    if (filter.keep === 0) continue;
    found.kept.push(at);
    if (found.kept.length === 2 * filter.keep) found.kept.splice(0, filter.keep);
  }
  found.kept = found.kept.slice(-filter.keep);
  return found;
}

/** The last `count` kept lines of a chunk, decoded and timed (by the file's mtime when lines carry no time). */
export function keptLines(opts: { found: ChunkMatches; count: number; filter: LineFilter; mtime: number }): MatchedLine[] {
  const { chunk, end, carried } = opts.found;
  const timeOf = opts.filter.timeOf;
  const clock = timeOf && new ChunkClock(chunk, end, timeOf, carried);
  return (opts.count > 0 ? opts.found.kept.slice(-opts.count) : []).map((at) => {
    const start = lineStart(chunk, at);
    return { time: clock ? clock.at(start) : opts.mtime, text: chunk.toString('utf8', start, lineEnd(chunk, at, end)) };
  });
}
