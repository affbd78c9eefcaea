/**
 * The fleet database as runbook's own tables see it: a `query` function. An agent shares
 * pg-boss's pool (2 connections in all); a plain run on a fleet host opens a pool of one.
 * No session state, no LISTEN, no named statements: every query works through PgBouncer in
 * transaction mode.
 */
export interface Db {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface ClosableDb extends Db {
  end(): Promise<void>;
}

/** A pool of `max` connections to `url`; pg is loaded here, on first use. */
export async function openPool(url: string, max = 1): Promise<ClosableDb> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 10_000, application_name: 'runbook' });
  // An idle client's error (the server restarted) must not crash the run: the next query says it.
  pool.on('error', () => {});
  return {
    query: async <R>(text: string, values?: unknown[]) => (await pool.query(text, values)) as unknown as { rows: R[] },
    end: () => pool.end(),
  };
}

/**
 * runbook's tables, beside pg-boss's own `pgboss` schema. One statement list, run as one
 * implicit transaction under an advisory lock, so ten agents starting at once do not race.
 */
const SCHEMA = `
SELECT pg_advisory_xact_lock(7146301);
CREATE SCHEMA IF NOT EXISTS runbook;
CREATE TABLE IF NOT EXISTS runbook.runs (
  host text NOT NULL,
  playbook text NOT NULL,
  run_id text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms bigint NOT NULL,
  summary text NOT NULL,
  job_id uuid,
  job_attempt int,
  record jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (host, playbook, run_id)
);
CREATE INDEX IF NOT EXISTS runs_newest ON runbook.runs (host, playbook, started_at DESC);
CREATE INDEX IF NOT EXISTS runs_running ON runbook.runs (job_id) WHERE status = 'RUNNING';
CREATE TABLE IF NOT EXISTS runbook.agents (
  host text PRIMARY KEY,
  pid int NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  stopped_at timestamptz,
  scheduler boolean NOT NULL DEFAULT false,
  playbooks jsonb NOT NULL DEFAULT '[]'
);`;

/**
 * Creates runbook's tables when they are missing. Looked for first: a role that may use the
 * tables but not create them (an agent's, README "Roles") never runs the DDL.
 */
export async function ensureSchema(db: Db): Promise<void> {
  const { rows } = await db.query<{ found: string | null }>("SELECT to_regclass('runbook.agents')::text AS found");
  if (!rows[0]?.found) await db.query(SCHEMA);
}

/** Runs `work`; when runbook's tables do not exist yet (42P01), creates them and runs it again. */
export async function withSchema<T>(db: Db, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error;
    await ensureSchema(db);
    return work();
  }
}
