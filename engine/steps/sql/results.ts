import type { CustomTypesConfig, QueryResult } from 'pg';
import { formatTable } from '../../template/helpers.js';

// Types whose default parsing gives values JSON cannot keep (Date, Buffer, interval objects), and
// their arrays: keep PostgreSQL's own text, so a step's output reads the same in this run and
// when a later run reads it back from the record (`previous`).
const SERVER_TEXT = new Set([
  17, 1001, // bytea
  1082, 1182, // date
  1083, 1183, // time
  1114, 1115, // timestamp
  1184, 1185, // timestamptz
  1186, 1187, // interval
  1266, 1270, // timetz
]);
// bigint (count(*), pg_database_size) and numeric arrive as text: numbers when no digit is lost.
const EXACT_NUMBERS = new Set([20, 1700]);
// Up to 15 significant digits survive a trip through a double and back to decimal text.
const MAX_EXACT_DIGITS = 15;

/** A number when the text converts without losing a digit, else the text itself. */
export function exactNumber(text: string): number | string {
  const value = Number(text);
  const significant = text.replace(/\D/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return Number.isFinite(value) && significant.length <= MAX_EXACT_DIGITS ? value : text;
}

/** Type parsers that keep every value JSON-native (outputs are stored and templated). */
export function jsonFriendlyTypes(defaults: CustomTypesConfig): CustomTypesConfig {
  const getTypeParser = (oid: number, format?: 'text' | 'binary') => {
    if (SERVER_TEXT.has(oid)) return (text: string) => text;
    if (EXACT_NUMBERS.has(oid)) return exactNumber;
    return defaults.getTypeParser(oid, format);
  };
  return { getTypeParser } as CustomTypesConfig;
}

/** The contract's outputs of one statement: `rows` (at most `maxRows`), `row_count`, `row`, `value`. */
export function outputOf(result: QueryResult, maxRows: number): Record<string, unknown> {
  const first = result.rows[0];
  const firstColumn = result.fields[0]?.name;
  return {
    rows: result.rows.slice(0, maxRows),
    row_count: result.rowCount ?? result.rows.length,
    row: first ?? null,
    value: first && firstColumn !== undefined ? first[firstColumn] ?? null : null,
  };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** What psql would print: an aligned table and a row count, or the command tag (`VACUUM`, `INSERT 3`). */
export function resultLines(result: QueryResult, maxRows: number): string[] {
  if (result.fields.length === 0) return [[result.command ?? 'done', result.rowCount ?? ''].join(' ').trim()];
  const columns = result.fields.map((field) => field.name);
  const shown = result.rows.slice(0, maxRows).map((row) => Object.fromEntries(columns.map((column) => [column, cellText(row[column])])));
  const total = result.rows.length;
  const count = `(${total} row${total === 1 ? '' : 's'}${total > shown.length ? `; the first ${shown.length} kept, see max_rows` : ''})`;
  return [...formatTable(shown, columns).split('\n'), count];
}
