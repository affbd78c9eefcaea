import path from 'node:path';
import { EXIT_CODES, type RunRecord, type RunStatus } from './record.js';
import type { RunObserver } from './runner.js';
import { writeAtomic } from '../fs/write-atomic.js';

const LEVELS = { ok: 0, warn: 1, critical: 2 } as const;

type Sample = { labels: Record<string, string>; value: number };

const FAMILIES: { name: string; help: string; samples: (record: RunRecord) => Sample[] }[] = [
  {
    name: 'runbook_run_status',
    help: 'Result of the last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (its exit code).',
    samples: (record) => [{ labels: {}, value: EXIT_CODES[record.status as RunStatus] ?? 3 }],
  },
  {
    name: 'runbook_run_duration_seconds',
    help: 'How long the last run took.',
    samples: (record) => [{ labels: {}, value: record.duration_ms / 1000 }],
  },
  {
    name: 'runbook_run_finished_timestamp_seconds',
    help: 'When the last run finished (Unix time): alert when it gets old.',
    samples: (record) => [{ labels: {}, value: Date.parse(record.finished_at ?? record.started_at) / 1000 }],
  },
  {
    name: 'runbook_run_simulated',
    help: '1 when a --metric override replaced a reading (a drill).',
    samples: (record) => [{ labels: {}, value: record.simulated.length ? 1 : 0 }],
  },
  {
    name: 'runbook_step_value',
    help: 'The number each step measured at the last run (assertions, query values).',
    samples: (record) => labelledSteps(record).flatMap(({ step, label }) =>
      typeof step.value === 'number' && Number.isFinite(step.value) ? [{ labels: { step: label }, value: step.value }] : []),
  },
  {
    name: 'runbook_step_level',
    help: 'Level of each step that ran at the last run: 0 ok, 1 warn, 2 critical.',
    samples: (record) => labelledSteps(record).map(({ step, label }) => ({ labels: { step: label }, value: LEVELS[step.level] })),
  },
];

/**
 * The steps that ran, each with a label unique in the playbook (node_exporter rejects a file with
 * two identical series): its id, else its name, numbered by position when names repeat.
 */
function labelledSteps(record: RunRecord): { step: RunRecord['steps'][number]; label: string }[] {
  const seen = new Map<string, number>();
  return record.steps
    .map((step) => {
      const base = step.id ?? step.name;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      return { step, label: count === 1 ? base : `${base} #${count}` };
    })
    .filter(({ step }) => step.status !== 'skipped' && step.status !== 'pending');
}
const escapeLabel = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** The run as Prometheus gauges in the text exposition format that node_exporter's textfile collector reads. */
export function metricsText(record: RunRecord): string {
  const lines = FAMILIES.flatMap((family) => [
    `# HELP ${family.name} ${family.help}`,
    `# TYPE ${family.name} gauge`,
    ...family.samples(record).map(({ labels, value }) => {
      const all = Object.entries({ playbook: record.playbook, ...labels }).map(([key, text]) => `${key}="${escapeLabel(text)}"`);
      return `${family.name}{${all.join(',')}} ${value}`;
    }),
  ]);
  return `${lines.join('\n')}\n`;
}

/**
 * `--metrics-file FILE`: written atomically when the run ends, so the collector never reads half
 * a file. Only the top-level run is written: a called playbook shows as its calling step's level,
 * and its own samples here could collide with its own metrics file (node_exporter rejects the
 * whole collector on a duplicate series).
 */
export function metricsFileObserver(file: string): RunObserver {
  return {
    async finished({ record }) {
      if (!record.parent_run_id) writeAtomic(path.resolve(file), metricsText(record), { shared: true });
    },
  };
}
