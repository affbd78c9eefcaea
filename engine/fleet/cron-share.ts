import { errorMessage } from '../errors.js';
import { TICK_PREFIX } from './boss.js';
import { fleetUrl } from './config.js';
import { openPool } from './db.js';

/**
 * The playbooks the fleet schedules (`runbook fleet schedule --install`): a fleet host's own
 * `runbook tick` leaves them to the agents, so no tick runs a playbook twice. Outside a fleet,
 * none. When the fleet database cannot be reached the host's cron runs them itself (its agent
 * cannot get jobs either) and says so.
 */
export async function fleetScheduled(env: NodeJS.ProcessEnv, err: (line: string) => void): Promise<Set<string>> {
  const url = fleetUrl(env);
  if (!url) return new Set();
  try {
    const db = await openPool(url, 1);
    try {
      const { rows } = await db.query<{ name: string }>('SELECT name FROM pgboss.schedule WHERE name LIKE $1', [`${TICK_PREFIX}%`]);
      return new Set(rows.map((row) => row.name.slice(TICK_PREFIX.length)));
    } finally {
      await db.end();
    }
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return new Set(); // no fleet schedule was ever installed
    err(`the fleet's schedules could not be read (${errorMessage(error)}): this host runs every due playbook itself`);
    return new Set();
  }
}
