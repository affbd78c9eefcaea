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

/** The local files answer at once; a database answers later. Callers await either. */
export type Awaitable<T> = T | Promise<T>;

/**
 * What a reader of one host's run history needs (the dashboard, `top`, `status`). Two stores
 * implement it: the local files (`RunStore`, the default) and the fleet's PostgreSQL database
 * (`engine/fleet/records.ts`, one host's rows), so the dashboard reads either the same way.
 */
export interface RunReader {
  /** The names of every playbook with recorded runs. */
  playbooks(): Awaitable<string[]>;
  /** A playbook's runs, oldest first (RUNNING ones included). */
  index(playbook: string): Awaitable<IndexEntry[]>;
  /** One run, or undefined. */
  read(playbook: string, runId: string): Awaitable<RunRecord | undefined>;
  /** A run by id, whatever its playbook. */
  find(runId: string): Awaitable<RunRecord | undefined>;
  /** The readings of the last `limit` finished runs, oldest first. */
  readings(playbook: string, limit: number): Awaitable<ReadingPoint[]>;
}

/**
 * Where a run's record is written: every save of the record (running, then finished) goes
 * through `save`. The local files write at once; the fleet database queues the write, and
 * `flush` waits for it.
 */
export interface RunWriter {
  save(record: RunRecord): void;
  /** Waits for writes still on their way (none for the local files). */
  flush?(): Promise<void>;
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
