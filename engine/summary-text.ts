/**
 * The message of a run's Nagios summary line (engine/run/summary.ts), without its
 * `NAME STATUS - ` head and its `| perfdata` tail (the message itself never holds a `|`).
 */
export function summaryMessage(summary: string): string {
  return summary.replace(/^\S+ [A-Z]+ - /, '').split(' | ')[0]!;
}
