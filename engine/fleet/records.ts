import { errorMessage } from '../errors.js';
import type { RunRecord } from '../run/record.js';
import { readingOf, type IndexEntry, type ReadingPoint, type RunReader, type RunWriter } from '../run/run-reader.js';
import { withSchema, type Db } from './db.js';
import { LOST } from './lost.js';

/** The pg-boss job a run was started by (an agent's run), and which attempt of it. */
export interface JobRef {
  id: string;
  attempt: number;
}

const INDEX_COLUMNS = `run_id, status, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at, duration_ms::float8 AS duration_ms, summary`;

const UPSERT = `
INSERT INTO runbook.runs (host, playbook, run_id, status, started_at, duration_ms, summary, job_id, job_attempt, record)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
ON CONFLICT (host, playbook, run_id) DO UPDATE SET
  status = EXCLUDED.status, duration_ms = EXCLUDED.duration_ms, summary = EXCLUDED.summary, record = EXCLUDED.record,
  job_id = COALESCE(EXCLUDED.job_id, runbook.runs.job_id), job_attempt = COALESCE(EXCLUDED.job_attempt, runbook.runs.job_attempt),
  updated_at = now()
WHERE NOT (runbook.runs.record->>'stopped' = $11 AND EXCLUDED.status = 'UNKNOWN')`;
// (A lost run that the host's next run closes as killed stays "lost": it says more.)

// The newest `keep` finished runs of a host's playbook stay, like the local history.
const PRUNE = `
DELETE FROM runbook.runs WHERE host = $1 AND playbook = $2 AND run_id IN (
  SELECT run_id FROM runbook.runs WHERE host = $1 AND playbook = $2 AND status <> 'RUNNING'
  ORDER BY started_at DESC OFFSET $3)`;

/**
 * One host's run records in the fleet database: the same self-contained record as the local
 * files (the `record` column), with the index columns beside it. Reads answer as `RunReader`
 * does for the local files, so the dashboard and status read a fleet host the same way.
 * Writes are queued in order and sent in the background (`flush` waits for them): a database
 * that is slow or down never holds a run up, and its failure is said once, never fails the run.
 */
export class FleetRecords implements RunReader, RunWriter {
  private pending: Promise<void> = Promise.resolve();
  private warned = false;

  constructor(private readonly db: Db, readonly host: string, private readonly opts: { keep: number; job?: JobRef; warn?: (line: string) => void }) {}

  save(record: RunRecord): void {
    const copy = structuredClone(record);
    this.pending = this.pending.then(() => this.put(copy)).catch((error) => {
      if (this.warned) return;
      this.warned = true;
      this.opts.warn?.(`runbook: the fleet database did not take run ${copy.run_id} (kept locally): ${errorMessage(error)}`);
    });
  }

  flush(): Promise<void> {
    return this.pending;
  }

  /** Writes one record now (and prunes old ones once it has finished). */
  async put(record: RunRecord): Promise<void> {
    // The job is this process's: a record it did not start (an abandoned run it closes) keeps its own.
    const job = record.pid === process.pid ? this.opts.job : undefined;
    await withSchema(this.db, () => this.db.query(UPSERT, [
      record.host, record.playbook, record.run_id, record.status, record.started_at, record.duration_ms, record.summary,
      job?.id ?? null, job?.attempt ?? null, JSON.stringify(record), LOST,
    ]));
    if (record.status !== 'RUNNING') await this.db.query(PRUNE, [record.host, record.playbook, this.opts.keep]);
  }

  async playbooks(): Promise<string[]> {
    const { rows } = await this.db.query<{ playbook: string }>('SELECT DISTINCT playbook FROM runbook.runs WHERE host = $1 ORDER BY playbook', [this.host]);
    return rows.map((row) => row.playbook);
  }

  async index(playbook: string): Promise<IndexEntry[]> {
    const { rows } = await this.db.query<IndexEntry>(`SELECT ${INDEX_COLUMNS} FROM runbook.runs WHERE host = $1 AND playbook = $2 ORDER BY started_at, run_id`, [this.host, playbook]);
    return rows;
  }

  async read(playbook: string, runId: string): Promise<RunRecord | undefined> {
    const { rows } = await this.db.query<{ record: RunRecord }>('SELECT record FROM runbook.runs WHERE host = $1 AND playbook = $2 AND run_id = $3', [this.host, playbook, runId]);
    return rows[0]?.record;
  }

  async find(runId: string): Promise<RunRecord | undefined> {
    const { rows } = await this.db.query<{ record: RunRecord }>('SELECT record FROM runbook.runs WHERE host = $1 AND run_id = $2 LIMIT 1', [this.host, runId]);
    return rows[0]?.record;
  }

  async readings(playbook: string, limit: number): Promise<ReadingPoint[]> {
    const { rows } = await this.db.query<{ record: RunRecord }>(
      "SELECT record FROM runbook.runs WHERE host = $1 AND playbook = $2 AND status <> 'RUNNING' ORDER BY started_at DESC LIMIT $3", [this.host, playbook, limit]);
    return rows.map((row) => readingOf(row.record)).reverse();
  }
}
