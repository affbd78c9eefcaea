import type { Alert } from '../template/context.js';
import type { Level, StepStatus } from '../steps/types.js';

export type RunStatus = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

/** One step of a run, as recorded and as `--json` prints it. */
export interface StepRecord {
  id?: string;
  name: string;
  type: string;
  status: StepStatus;
  level: Level;
  value?: unknown;
  output: Record<string, unknown>;
  error?: string;
  message?: string;
  started_at?: string;
  duration_ms: number;
  attempts: number;
  simulated?: boolean;
  /** Why a step did not run, when it did not. */
  skipped_because?: string;
}

/**
 * The record of one run: self-contained JSON that a status page or a central database can read
 * without knowing anything else. `status` is RUNNING until the run ends; a RUNNING record whose
 * process is gone was killed outright.
 */
export interface RunRecord {
  format: 1;
  playbook: string;
  title: string;
  run_id: string;
  host: string;
  pid: number;
  status: RunStatus | 'RUNNING';
  exit_code: number | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number;
  summary: string;
  alerts: Alert[];
  /** Readings replaced by `--metric` for this run (a drill). */
  simulated: string[];
  params: Record<string, string>;
  /** The run that ran this one as a `playbook` step. */
  parent_run_id?: string;
  /** Why the run stopped early (interrupted, approval missing). */
  stopped?: string;
  steps: StepRecord[];
}

export const EXIT_CODES: Record<RunStatus, number> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

/** The run's status from its steps (Nagios: the worst wins). */
export function runStatusOf(steps: StepRecord[], stopped: boolean): RunStatus {
  if (stopped) return 'UNKNOWN';
  if (steps.some((step) => step.level === 'critical')) return 'CRITICAL';
  if (steps.some((step) => step.level === 'warn')) return 'WARNING';
  return 'OK';
}

/** Sortable, unique enough for one host, readable: 20261127-201500-3fa9c1. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(16).slice(2, 8).padEnd(6, '0')}`;
}
