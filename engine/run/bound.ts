/**
 * Run records stay readable and small whatever a step printed: long strings keep their end (the
 * part that says how it finished), long lists their start, each with a note of what was cut.
 * Templates still see a step's whole output; only the record (and `--json`) is bounded.
 */
export const RECORD_STRING_LIMIT = 64 * 1024;
export const RECORD_LIST_LIMIT = 1000;

export function boundForRecord<T>(value: T): T {
  if (typeof value === 'string' && value.length > RECORD_STRING_LIMIT) {
    return `[… ${value.length - RECORD_STRING_LIMIT} characters cut …]\n${value.slice(-RECORD_STRING_LIMIT)}` as T;
  }
  if (Array.isArray(value)) {
    const kept = value.slice(0, RECORD_LIST_LIMIT).map(boundForRecord);
    if (value.length > RECORD_LIST_LIMIT) kept.push(`[… ${value.length - RECORD_LIST_LIMIT} more items cut …]`);
    return kept as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, boundForRecord(item)])) as T;
  }
  return value;
}
