import type { Db } from './db.js';

export const LOST = 'lost: its agent stopped answering mid-run (the job expired)';

/**
 * Runs an agent started and never finished, whose job pg-boss has since expired (failed, or
 * put back for a retry): the agent died mid-run. They become UNKNOWN, saying so, in the record
 * too, so status and the dashboard stop showing them as running. Returns how many.
 */
export async function markLost(db: Db): Promise<number> {
  const { rows } = await db.query(MARK_LOST, [LOST]).catch((error) => {
    // No agent has started yet: pg-boss's tables do not exist, and no job can have expired.
    if ((error as { code?: string }).code === '42P01') return { rows: [] };
    throw error;
  });
  return rows.length;
}

const MARK_LOST = `
    UPDATE runbook.runs r SET
      status = 'UNKNOWN',
      summary = upper(r.playbook) || ' UNKNOWN - ' || $1,
      record = r.record || jsonb_build_object('status', 'UNKNOWN', 'exit_code', 3, 'stopped', $1::text, 'summary', upper(r.playbook) || ' UNKNOWN - ' || $1),
      updated_at = now()
    FROM pgboss.job j
    WHERE r.status = 'RUNNING' AND j.id = r.job_id AND (j.state = 'failed' OR j.retry_count > r.job_attempt)
    RETURNING r.run_id`;
