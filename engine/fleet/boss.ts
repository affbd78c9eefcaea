import type PgBoss from 'pg-boss';
import { errorMessage } from '../errors.js';
import { fleetTimings } from './config.js';
import type { Db } from './db.js';

export type Boss = PgBoss;

/** What a fleet job carries: a playbook's name and params, never playbook text. */
export interface RunJobData {
  playbook: string;
  params: Record<string, string>;
  /** Approve `confirm` steps (`fleet run --yes`); scheduled runs never do, as under `runbook tick`. */
  yes: boolean;
  /** The schedule tick that asked for it (`playbook@minute/tick-job-id`), when scheduled. */
  tick?: string;
}

/** What an agent answers for a job: the run's outcome on its host, or why it refused. */
export interface RunJobResult {
  host: string;
  status: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  exit_code: number;
  run_id: string | null;
  summary: string;
  refused?: string;
}

/** Every host's jobs wait in its own queue: an agent fetches only what is addressed to it. */
export function runQueue(host: string): string {
  return `runbook-run.${host}`;
}

/** A scheduled playbook's ticks (one pg-boss schedule per queue); schedulers fan them out to hosts. */
export function tickQueue(playbook: string): string {
  return `runbook-tick.${playbook}`;
}

export const TICK_PREFIX = 'runbook-tick.';

/** The message pg-boss puts in a job that expired while active (pg-boss 10, plans.js). */
export const EXPIRED_MESSAGE = 'job failed by timeout in active state';

/**
 * A pg-boss instance on at most 2 connections (pg-boss's default is 10: a hundred agents would
 * ask for a thousand). `supervise` runs pg-boss's maintenance (expiring the jobs of dead agents);
 * `schedule` runs its cron clock. pg-boss is loaded here, only by fleet commands and agents.
 */
export async function openBoss(opts: { url: string; env: NodeJS.ProcessEnv; supervise: boolean; schedule: boolean; onError: (message: string) => void }): Promise<Boss> {
  const { default: PgBossClass } = await import('pg-boss');
  const timings = fleetTimings(opts.env);
  const boss = new PgBossClass({
    connectionString: opts.url,
    max: 2,
    application_name: 'runbook',
    supervise: opts.supervise,
    schedule: opts.schedule,
    maintenanceIntervalSeconds: timings.maintenanceSeconds,
    cronMonitorIntervalSeconds: Math.min(30, timings.maintenanceSeconds),
    cronWorkerIntervalSeconds: Math.min(5, timings.pollSeconds),
  });
  // An error event with no listener would crash the process: a lost connection is said instead.
  boss.on('error', (error) => opts.onError(errorMessage(error)));
  await boss.start();
  return boss;
}

/** runbook's own queries on pg-boss's pool: no extra connection. */
export function bossDb(boss: Boss): Db {
  const db = boss.getDb() as unknown as { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
  return {
    query: async <R>(text: string, values?: unknown[]) => {
      // pg-boss answers nothing once it has closed its pool (stopping).
      const result = await db.executeSql(text, values);
      if (!result) throw new Error('the fleet database connection is closed');
      return result as { rows: R[] };
    },
  };
}

/**
 * Creates a queue if it is missing. pg-boss makes a table per queue: ten agents starting at
 * once can deadlock on that DDL (40P01), which PostgreSQL resolves by failing one: it tries again.
 * An agent's role may not create it (42501, README "Roles"): the operator's first `fleet run`
 * to that host does, and until then the agent simply finds no job.
 */
export async function ensureQueue(boss: Boss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(name);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '42501') return;
      if (code !== '40P01' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt * Math.random()));
    }
  }
}
