import type { PerfDatum } from '../steps/types.js';
import type { RunRecord } from './record.js';

function perfValue(datum: PerfDatum): string {
  const unit = datum.unit === '%' || datum.unit === 's' || datum.unit === 'B' ? datum.unit : '';
  const label = /[\s=']/.test(datum.label) ? `'${datum.label}'` : datum.label;
  return `${label}=${datum.value}${unit};${datum.warn ?? ''};${datum.critical ?? ''}`;
}

/**
 * The Nagios plugin line that ends every run:
 * `WEEKLY-HEALTH WARNING - swap used 23% above 20% | swap=23%;20;80 load1=0.52;8;10`.
 */
export function summaryLine(record: RunRecord, perf: PerfDatum[]): string {
  const name = record.playbook.toUpperCase();
  const done = record.steps.filter((step) => step.status !== 'skipped').length;
  const text = record.stopped ?? (record.alerts.length ? [...new Set(record.alerts.map((alert) => alert.message))].join('; ') : `${done} step${done === 1 ? '' : 's'} ok`);
  const data = perf.map(perfValue).join(' ');
  // Nagios reads everything after the first | as perfdata, and only the first line as the text.
  const plain = text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '/');
  return `${name} ${record.status} - ${plain}${data ? ` | ${data}` : ''}`;
}
