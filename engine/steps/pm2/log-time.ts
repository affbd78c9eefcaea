import type { Pm2Env } from './processes.js';

/** A line's time, or undefined when it carries none (a stack trace's later lines). */
export type TimeOf = (line: string) => number | undefined;

// What pm2 writes with `--time` (YYYY-MM-DDTHH:mm:ss, local time), and the ISO forms a custom
// `log_date_format` usually takes (space separator, milliseconds, Z or an offset).
const STAMP = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,3})\d*)?)?(?: ?(Z|[+-]\d\d:?\d\d))?/;
const JSON_STAMP = /"timestamp":"([^"]+)"/;

/** The time a stamp says; one without a zone is local time, as dayjs wrote it. */
function stampTime(m: RegExpExecArray): number {
  const [year, month, day, hour, minute, second = 0, ms = 0] = m.slice(1, 8).map((part) => Number(part ?? 0));
  const zone = m[8];
  if (zone === undefined) return new Date(year!, month! - 1, day, hour, minute, second, ms).getTime();
  const utc = Date.UTC(year!, month! - 1, day, hour, minute, second, ms);
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2));
  return utc - sign * offset * 60_000;
}

// Busy logs repeat the same stamp line after line: remember the last one.
let last = { stamp: '', time: 0 };

/** The time a line starts with, or undefined. */
export const leadingTime: TimeOf = (line) => {
  const m = STAMP.exec(line);
  if (!m) return undefined;
  if (m[0] !== last.stamp) last = { stamp: m[0], time: stampTime(m) };
  return last.time;
};

/** `log_type: json` lines: `{"message": ..., "timestamp": ...}`. */
const jsonTime: TimeOf = (line) => {
  const m = JSON_STAMP.exec(line);
  return m ? leadingTime(m[1]!) : undefined;
};

/**
 * How a process's log lines carry their time, from its pm2 settings (`--time`/`time: true` sets
 * `log_date_format`), or undefined when they do not and only the file's mtime can tell.
 */
export function timeReader(env: Pm2Env): TimeOf | undefined {
  if (env.log_type === 'json') return jsonTime;
  const format = env.log_date_format;
  return typeof format === 'string' && /^YYYY-MM-DD[T ]HH:mm/.test(format) ? leadingTime : undefined;
}
