import { errorMessage } from '../errors.js';
import { ensureQueue, runQueue, TICK_PREFIX, type Boss, type RunJobData } from './boss.js';
import { fleetTimings } from './config.js';
import type { Db } from './db.js';
import { retryLimitFor } from './retry.js';

/** How long a scheduled run may take (its job's expiry) when the schedule does not say. */
export const SCHEDULED_RUN_SECONDS = 60 * 60;

/** The hosts a tick of `playbook` goes to: agents running, seen lately, that have the playbook. */
async function hostsFor(db: Db, playbook: string, staleSeconds: number): Promise<string[]> {
  const { rows } = await db.query<{ host: string }>(`
    SELECT host FROM runbook.agents
    WHERE stopped_at IS NULL AND last_seen > now() - make_interval(secs => $2) AND playbooks ? $1
    ORDER BY host`, [playbook, staleSeconds]);
  return rows.map((row) => row.host);
}

/**
 * A scheduler's fan-out: pg-boss's cron puts one tick job per schedule and minute in the
 * playbook's tick queue however many schedulers run (its clock and a singleton key see to it);
 * the one scheduler that fetches the tick sends one run job to each host's queue. Tick jobs are
 * never retried, so a tick cannot fan out twice.
 */
export async function startTicks(opts: { boss: Boss; db: Db; env: NodeJS.ProcessEnv; dirs: string[]; err: (line: string) => void }): Promise<{ stop(): Promise<void> }> {
  const timings = fleetTimings(opts.env);
  const working = new Set<string>();
  const fanOut = async (job: { id: string; data: { playbook: string }; createdOn: Date }) => {
    const playbook = job.data.playbook;
    // The tick job's own id too: pg-boss creates it when its clock's job is worked, which under
    // load can put two minutes' ticks in one minute.
    const tick = `${playbook}@${new Date(job.createdOn).toISOString().slice(0, 16)}/${job.id}`;
    const data: RunJobData = { playbook, params: {}, yes: false, tick };
    const hosts = await hostsFor(opts.db, playbook, timings.heartbeatSeconds * 3);
    const retryLimit = await retryLimitFor(playbook, opts.dirs);
    for (const host of hosts) await ensureQueue(opts.boss, runQueue(host));
    for (const host of hosts) await opts.boss.send(runQueue(host), data, { expireInSeconds: SCHEDULED_RUN_SECONDS, retryLimit, retryDelay: 1 });
    return { tick, hosts };
  };
  // The scheduled playbooks change when someone runs `fleet schedule --install`: looked up again at every heartbeat.
  const refresh = async () => {
    const { rows } = await opts.db.query<{ name: string }>('SELECT name FROM pgboss.schedule WHERE name LIKE $1', [`${TICK_PREFIX}%`]);
    for (const { name } of rows) {
      if (working.has(name)) continue;
      working.add(name);
      await opts.boss.work(name, { batchSize: 1, pollingIntervalSeconds: timings.pollSeconds, includeMetadata: true }, async ([job]) => fanOut(job as never));
    }
  };
  await refresh();
  const timer = setInterval(() => refresh().catch((error) => opts.err(`runbook agent: schedules: ${errorMessage(error)}`)), timings.heartbeatSeconds * 1000);
  return {
    async stop() {
      clearInterval(timer);
      for (const name of working) await opts.boss.offWork(name);
    },
  };
}
