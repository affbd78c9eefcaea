import { errorMessage, RunbookError } from '../errors.js';

/**
 * The fleet's settings, from the environment. Nothing here loads pg or pg-boss: a host outside
 * a fleet (no RUNBOOK_FLEET_URL) never pays for them.
 */
export const FLEET_URL = 'RUNBOOK_FLEET_URL';

/**
 * The environment with the env file's fleet settings (RUNBOOK_FLEET_*, RUNBOOK_HOST) under it:
 * cron starts runbook with almost nothing, so a host joins the fleet from the env file as it
 * gets its other settings; the real environment wins.
 */
export function withFleetSettings(env: NodeJS.ProcessEnv, settings: Record<string, string>): NodeJS.ProcessEnv {
  const fleet = Object.entries(settings).filter(([name]) => name === 'RUNBOOK_HOST' || name.startsWith('RUNBOOK_FLEET_'));
  return fleet.length ? { ...Object.fromEntries(fleet), ...env } : env;
}

/** The fleet database's URL, when this host is in a fleet. A secret: never printed, never handed to a step. */
export function fleetUrl(env: NodeJS.ProcessEnv): string | undefined {
  return env[FLEET_URL] || undefined;
}

export function requireFleetUrl(env: NodeJS.ProcessEnv): string {
  const url = fleetUrl(env);
  if (!url) throw new RunbookError('BAD_ARGUMENT', `${FLEET_URL} is not set: it names the fleet's PostgreSQL database (postgres://user:password@host/db)`);
  return url;
}

/** The environment a run hands its steps: the fleet's URL (and password) stays with runbook. */
export function withoutFleetSecret(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { [FLEET_URL]: _url, ...rest } = env;
  return rest;
}

/** A host name as a queue and a record know it: what hostnames and RUNBOOK_HOST may be. */
const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function checkHost(host: string): string {
  if (!HOST.test(host)) throw new RunbookError('BAD_ARGUMENT', `host name ${JSON.stringify(host)} refused: letters, digits, '.', '_' and '-', at most 63 (set RUNBOOK_HOST)`);
  return host;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value >= 1 ? value : fallback;
}

/** Timings; the defaults suit a real fleet, tests shorten them. */
export function fleetTimings(env: NodeJS.ProcessEnv) {
  return {
    /** How often an agent says it is alive. */
    heartbeatSeconds: seconds(env, 'RUNBOOK_FLEET_HEARTBEAT', 30),
    /** How often an agent looks for a job (pg-boss polls: no LISTEN, so PgBouncer's transaction mode works). */
    pollSeconds: seconds(env, 'RUNBOOK_FLEET_POLL', 2),
    /** How often expired jobs (an agent that died mid-run) are found. */
    maintenanceSeconds: seconds(env, 'RUNBOOK_FLEET_MAINTENANCE', 60),
    /** Runs kept per host and playbook in the fleet database (as RUNBOOK_KEEP_RUNS locally). */
    keepRuns: seconds(env, 'RUNBOOK_FLEET_KEEP_RUNS', 200),
  };
}

/** Why a run stops when its agent dies under it (`interrupted by ...`): status shows such a run as lost. */
export const AGENT_GONE = 'its agent dying';

/** The fleet database as a message may name it: host, port and database, never the user or password. */
export function fleetWhere(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'RUNBOOK_FLEET_URL (not a URL)';
  }
}

/**
 * Runs a fleet command's work; a database that refuses (down, wrong password, no such
 * database) becomes one line naming where, instead of a driver's stack trace.
 */
export async function usingFleet<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Only what the database or the network said (they carry a code); a bug keeps its stack.
    if (error instanceof RunbookError || typeof (error as { code?: unknown }).code !== 'string') throw error;
    const where = fleetWhere(requireFleetUrl(env));
    throw new RunbookError('FLEET_UNREACHABLE', `the fleet database at ${where} cannot be used: ${errorMessage(error)}`, { cause: error });
  }
}
