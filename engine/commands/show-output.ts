import { formatTable } from '../template/helpers.js';

// Text outputs shown as the command printed them; `lines` and `json` repeat `stdout`.
const STREAMS: [string, string][] = [['stdout', '| '], ['stderr', '! ']];
const REPEATS = new Set(['stdout', 'stderr', 'lines', 'json']);
const MAX_VALUE = 200;

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const flatRows = (value: unknown): value is Record<string, unknown>[] =>
  Array.isArray(value) && value.length > 0 && value.every((row) => row && typeof row === 'object' && !Array.isArray(row) && Object.values(row).every(isScalar));

const isEmpty = (value: unknown) => value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

function oneLine(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}… (runbook show --json has all of it)` : text;
}

/**
 * A step's output as a person reads it under the step: what the command printed, then every
 * other output as `key: value`, and a list of records (processes, rows) as a table.
 */
export function outputLines(output: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [key, mark] of STREAMS) {
    const text = output[key];
    if (typeof text === 'string' && text.trim()) lines.push(...text.trimEnd().split('\n').map((line) => `${mark}${line}`));
  }
  const hasStreams = typeof output.stdout === 'string';
  for (const [key, value] of Object.entries(output)) {
    if (hasStreams && REPEATS.has(key)) continue;
    if (flatRows(value)) lines.push(`${key}:`, ...formatTable(value).split('\n').map((line) => `  ${line}`));
    else if (!isEmpty(value)) lines.push(`${key}: ${oneLine(value)}`);
  }
  return lines;
}
