import { hostName } from '../host.js';
import { RunStore } from '../run/store.js';
import { fleetTimings, fleetUrl } from './config.js';
import { openPool, type ClosableDb, type Db } from './db.js';
import { MirroredRunStore } from './mirror.js';
import { FleetRecords, type JobRef } from './records.js';

/** Set by an agent for the run it starts: `JOB_ID:ATTEMPT`, so the record names its job. */
export const FLEET_JOB = 'RUNBOOK_FLEET_JOB';

function jobOf(env: NodeJS.ProcessEnv): JobRef | undefined {
  const match = /^([0-9a-f-]{36}):(\d+)$/.exec(env[FLEET_JOB] ?? '');
  return match ? { id: match[1]!, attempt: Number(match[2]) } : undefined;
}

/** A pool opened on the first query: a command that records nothing never connects. */
function lazyPool(url: string): Db & { end(): Promise<void> } {
  let pool: Promise<ClosableDb> | undefined;
  return {
    query: async (text, values) => (await (pool ??= openPool(url, 1))).query(text, values),
    end: async () => {
      if (pool) await (await pool).end();
    },
  };
}

/**
 * The run store of this host: the local files, mirrored to the fleet database when
 * RUNBOOK_FLEET_URL is set. `close` waits for the records on their way and closes the pool.
 */
export function hostStore(opts: { dir: string; env: NodeJS.ProcessEnv; warn: (line: string) => void }): { store: RunStore; close(): Promise<void> } {
  const url = fleetUrl(opts.env);
  if (!url) return { store: new RunStore(opts.dir), close: async () => {} };
  const db = lazyPool(url);
  const central = new FleetRecords(db, hostName(opts.env), { keep: fleetTimings(opts.env).keepRuns, job: jobOf(opts.env), warn: opts.warn });
  const store = new MirroredRunStore(opts.dir, central);
  return {
    store,
    close: async () => {
      await store.flush();
      await db.end();
    },
  };
}
