import type { RunRecord, RunStatus } from './record.js';

/** A line of a playbook's index: enough for history and status without opening every record. */
export interface IndexEntry {
  run_id: string;
  status: RunStatus | 'RUNNING';
  started_at: string;
  duration_ms: number;
  summary: string;
}

/** The numbers one finished run measured, by step (its id, else its name). */
export interface ReadingPoint {
  run_id: string;
  started_at: string;
  values: Record<string, number>;
}

/**
 * What a reader of run history needs (the dashboard, `top`, `status`): the local file store
 * implements it today; a central store (PostgreSQL, for a fleet) can implement the same reads.
 */
export interface RunReader {
  /** The names of every playbook with recorded runs. */
  playbooks(): string[];
  /** A playbook's runs, oldest first (RUNNING ones included). */
  index(playbook: string): IndexEntry[];
  /** One run, or undefined. */
  read(playbook: string, runId: string): RunRecord | undefined;
  /** A run by id, whatever its playbook. */
  find(runId: string): RunRecord | undefined;
  /** The readings of the last `limit` finished runs, oldest first. */
  readings(playbook: string, limit: number): ReadingPoint[];
}

/** The step key a reading is filed under: its id when it has one, else its name. */
export function stepKey(step: { id?: string; name: string }): string {
  return step.id ?? step.name;
}

/** A run's numeric step values. */
export function readingOf(record: RunRecord): ReadingPoint {
  const values: Record<string, number> = {};
  for (const step of record.steps) {
    if (typeof step.value === 'number' && Number.isFinite(step.value)) values[stepKey(step)] = step.value;
  }
  return { run_id: record.run_id, started_at: record.started_at, values };
}
