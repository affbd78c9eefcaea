import type { RunRecord } from './record.js';

const MARKS: Record<string, string> = { ok: 'OK', warn: 'WARNING', critical: 'CRITICAL', failed: 'FAILED', skipped: 'SKIPPED', pending: 'PENDING' };

// Nagios reads everything after a `|` as perfdata, on any line: text keeps to one line and no bar.
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').replaceAll('|', '/');

/**
 * Nagios plugin output, as NRPE and check_by_ssh read it: the status line with its perfdata
 * after `|` (the run's summary line), then the long output, one line per step.
 */
export function nagiosLines(record: RunRecord): string[] {
  return [record.summary, ...record.steps.map((step) => {
    // The skip reason of an `if` quotes its template: the words say it for a person.
    const why = step.error ?? step.message ?? step.skipped_because;
    return oneLine(`${MARKS[step.status] ?? step.status.toUpperCase()} ${step.name}${why ? `: ${why}` : ''}`);
  })];
}

/** Nagios output for a run that could not start: UNKNOWN and why. */
export function nagiosUnknown(name: string, message: string): string {
  return oneLine(`${name.toUpperCase()} UNKNOWN - ${message}`);
}
