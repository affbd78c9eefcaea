/**
 * Template helpers. Handlebars' strict mode does not check helper arguments, so every helper
 * refuses `undefined` itself: a missing name is an error, never an empty string.
 */
type HelperFn = (...args: unknown[]) => unknown;

function defined(name: string, value: unknown): unknown {
  if (value === undefined) throw new Error(`helper "${name}" was given a missing value`);
  return value;
}

/** A number from a number or a numeric string (a shell step's stdout). */
export function toNumber(value: unknown, where = 'value'): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(n)) throw new Error(`${where} "${String(value)}" is not a number`);
  return n;
}

function numeric(name: string, fn: (...n: number[]) => unknown): HelperFn {
  return (...args) => fn(...args.slice(0, -1).map((a) => toNumber(defined(name, a), `${name} argument`)));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats a date with the tokens YYYY MM DD HH mm ss (UTC, as cron and reports use). */
export function formatDate(date: Date, format: string): string {
  const tokens: Record<string, string> = {
    YYYY: String(date.getUTCFullYear()),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
  };
  return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => tokens[token]!);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** Rows (objects) as an aligned plain-text table; `columns` picks and orders the keys. */
export function formatTable(rows: Record<string, unknown>[], columns?: string[]): string {
  const keys = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = [keys, ...rows.map((row) => keys.map((key) => String(row[key] ?? '')))];
  const widths = keys.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells.map((line) => line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function compare(name: string, test: (a: unknown, b: unknown) => boolean): HelperFn {
  return (a, b) => test(defined(name, a), defined(name, b));
}

/** Loose equality that treats "20" and 20 alike, as template values often come from text. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === typeof b) return a === b;
  const na = Number(a);
  const nb = Number(b);
  return Number.isFinite(na) && Number.isFinite(nb) ? na === nb : String(a) === String(b);
}

export const HELPERS: Record<string, HelperFn> = {
  // {{date}} is an ISO timestamp; {{date "YYYY-MM-DD"}} formats in UTC.
  date: (...args) => (args.length > 1 ? formatDate(new Date(), String(args[0])) : new Date().toISOString()),
  json: (value) => JSON.stringify(defined('json', value)),
  bytes: numeric('bytes', (n) => formatBytes(n)),
  percent: (...args) => {
    const [part, whole] = args.slice(0, -1).map((a) => toNumber(defined('percent', a), 'percent argument'));
    const ratio = whole === undefined ? part! : whole === 0 ? 0 : (part! / whole) * 100;
    return `${Math.round(ratio * 10) / 10}%`;
  },
  default: (value, fallback) => (value === undefined || value === null || value === '' ? fallback : value),
  add: numeric('add', (a, b) => a! + b!),
  sub: numeric('sub', (a, b) => a! - b!),
  mul: numeric('mul', (a, b) => a! * b!),
  div: numeric('div', (a, b) => (b === 0 ? 0 : a! / b!)),
  round: numeric('round', (a, digits = 0) => Math.round(a! * 10 ** digits) / 10 ** digits),
  eq: compare('eq', same),
  ne: compare('ne', (a, b) => !same(a, b)),
  gt: numeric('gt', (a, b) => a! > b!),
  gte: numeric('gte', (a, b) => a! >= b!),
  lt: numeric('lt', (a, b) => a! < b!),
  lte: numeric('lte', (a, b) => a! <= b!),
  and: (...args) => args.slice(0, -1).every((a) => Boolean(defined('and', a))),
  or: (...args) => args.slice(0, -1).some((a) => Boolean(defined('or', a))),
  not: (value) => !defined('not', value),
  table: (...args) => {
    const rows = defined('table', args[0]);
    if (!Array.isArray(rows)) throw new Error('helper "table" needs a list of rows');
    const columns = args.slice(1, -1).map(String);
    return formatTable(rows as Record<string, unknown>[], columns.length ? columns : undefined);
  },
};
