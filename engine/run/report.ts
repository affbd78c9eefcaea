import path from 'node:path';
import { formatDuration } from '../duration.js';
import type { RunRecord } from './record.js';
import { writeAtomic } from '../fs/write-atomic.js';

type Format = 'text' | 'markdown' | 'json';

const BOX: Record<string, string> = { ok: '[x]', skipped: '[ ] ~~', pending: '[ ]' };

function stepLine(step: RunRecord['steps'][number]): string {
  const note = step.error ?? step.message ?? step.skipped_because;
  return `${step.name}: ${step.status.toUpperCase()}${note ? ` - ${note}` : ''} (${formatDuration(step.duration_ms)})`;
}

function textReport(record: RunRecord): string {
  const lines = [
    `${record.title} (${record.playbook})`,
    `run ${record.run_id} on ${record.host}, started ${record.started_at}, took ${formatDuration(record.duration_ms)}`,
    `status: ${record.status}`,
    ...(record.simulated.length ? [`SIMULATED readings (drill): ${record.simulated.join(', ')}`] : []),
    '',
    'Steps:',
    ...record.steps.map((step) => `  - ${stepLine(step)}`),
  ];
  if (record.alerts.length) lines.push('', 'Alerts:', ...record.alerts.map((a) => `  - ${a.level.toUpperCase()} ${a.step}: ${a.message}`));
  const pending = record.steps.filter((step) => step.status === 'pending');
  if (pending.length) lines.push('', 'Pending manual tasks:', ...pending.map((step) => `  - ${step.name}`));
  lines.push('', record.summary);
  return `${lines.join('\n')}\n`;
}

function markdownReport(record: RunRecord): string {
  const lines = [
    `# ${record.title}`,
    '',
    `**Status:** ${record.status} · run \`${record.run_id}\` on ${record.host} · ${record.started_at} · ${formatDuration(record.duration_ms)}`,
    ...(record.simulated.length ? ['', `> Simulated readings (drill): ${record.simulated.join(', ')}`] : []),
    '',
    ...record.steps.map((step) => {
      const box = BOX[step.status] ?? '[x]';
      const close = box.endsWith('~~') ? '~~' : '';
      return `- ${box}${step.name}${close} — ${step.status.toUpperCase()}${step.error ?? step.message ? `: ${step.error ?? step.message}` : ''}`;
    }),
  ];
  if (record.alerts.length) lines.push('', '## Alerts', '', ...record.alerts.map((a) => `- **${a.level}** ${a.step}: ${a.message}`));
  lines.push('', `\`${record.summary}\``);
  return `${lines.join('\n')}\n`;
}

const FORMATS: Record<Format, (record: RunRecord) => string> = {
  text: textReport,
  markdown: markdownReport,
  json: (record) => `${JSON.stringify(record, null, 2)}\n`,
};

/** Writes the run's report (already redacted) atomically. */
export function writeReport(record: RunRecord, file: string, format: Format = 'text'): void {
  writeAtomic(path.resolve(file), FORMATS[format](record));
}
