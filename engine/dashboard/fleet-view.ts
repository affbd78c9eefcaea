import { fleetUrl } from '../fleet/config.js';
import type { ClosableDb } from '../fleet/db.js';
import type { FleetHostStatus } from '../fleet/status.js';
import type { StatusInput } from '../schedule/status.js';

export interface FleetSource {
  read(playbooks: StatusInput[], graceMs: number): Promise<FleetHostStatus[]>;
  close(): void;
}

/**
 * The fleet view's data on a fleet host: hosts x playbooks read from the fleet database through
 * the same `RunReader` the page's own host uses (fleet/records.ts). One connection, opened (and
 * pg loaded) at the first look at the view.
 */
export function fleetSource(env: NodeJS.ProcessEnv): FleetSource | undefined {
  const url = fleetUrl(env);
  if (!url) return undefined;
  let db: Promise<ClosableDb> | undefined;
  return {
    async read(playbooks, graceMs) {
      const [{ openPool, ensureSchema }, { fleetStatus }] = await Promise.all([import('../fleet/db.js'), import('../fleet/status.js')]);
      db ??= openPool(url, 1).then(async (pool) => (await ensureSchema(pool), pool));
      db.catch(() => (db = undefined)); // the database was down: try again at the next look
      return fleetStatus(await db, { playbooks, env, now: new Date(), graceMs });
    },
    close() {
      void db?.then((pool) => pool.end()).catch(() => {});
    },
  };
}
