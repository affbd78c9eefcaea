import type { ChildProcess } from 'node:child_process';
import { hostName } from '../host.js';
import { listPlaybooks } from '../playbook/locate.js';
import { workJob, type FleetJob } from './agent-job.js';
import { bossDb, ensureQueue, openBoss, runQueue } from './boss.js';
import { checkHost, fleetTimings, requireFleetUrl } from './config.js';
import { ensureSchema, type Db } from './db.js';
import { markLost } from './lost.js';
import { startTicks } from './ticks.js';

async function register(db: Db, opts: { host: string; playbooks: string[]; scheduler: boolean }): Promise<void> {
  await db.query(`
    INSERT INTO runbook.agents (host, pid, started_at, last_seen, scheduler, playbooks) VALUES ($1, $2, now(), now(), $3, $4::jsonb)
    ON CONFLICT (host) DO UPDATE SET pid = EXCLUDED.pid, started_at = now(), last_seen = now(), stopped_at = NULL, scheduler = EXCLUDED.scheduler, playbooks = EXCLUDED.playbooks`,
  [opts.host, process.pid, opts.scheduler, JSON.stringify(opts.playbooks)]);
}

/**
 * `runbook agent`: registers this host, says it is alive every RUNBOOK_FLEET_HEARTBEAT seconds,
 * and works the jobs addressed to it one at a time. With `scheduler`, it also runs pg-boss's cron
 * clock and turns schedule ticks into one job per host. Resolves once `stop` has fired and the
 * current job (told to stop) has ended.
 */
export async function runAgent(opts: {
  env: NodeJS.ProcessEnv;
  dirs: string[];
  /** The folder options the agent was started with, passed on to each run. */
  dirArgs: string[];
  scheduler: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
  stop: Promise<string>;
}): Promise<void> {
  const url = requireFleetUrl(opts.env);
  const host = checkHost(hostName(opts.env));
  const timings = fleetTimings(opts.env);
  const boss = await openBoss({ url, env: opts.env, supervise: true, schedule: opts.scheduler, onError: (message) => opts.err(`runbook agent: ${message}`) });
  const db = bossDb(boss);
  let current: ChildProcess | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let ticks: { stop(): Promise<void> } | undefined;
  try {
    await ensureSchema(db);
    const queue = runQueue(host);
    await ensureQueue(boss, queue);
    const playbooks = listPlaybooks(opts.dirs).map((playbook) => playbook.name);
    await register(db, { host, playbooks, scheduler: opts.scheduler });
    // Each heartbeat also says which playbooks the host has now: schedules reach a new one without a restart.
    heartbeat = setInterval(() => {
      const now = JSON.stringify(listPlaybooks(opts.dirs).map((playbook) => playbook.name));
      db.query('UPDATE runbook.agents SET last_seen = now(), playbooks = $2::jsonb WHERE host = $1', [host, now]).then(() => markLost(db))
        .catch((error) => opts.err(`runbook agent: heartbeat: ${(error as Error).message}`));
    }, timings.heartbeatSeconds * 1000);
    await boss.work(queue, { batchSize: 1, pollingIntervalSeconds: timings.pollSeconds, includeMetadata: true }, async ([job]) =>
      workJob(job as unknown as FleetJob, { host, dirs: opts.dirs, dirArgs: opts.dirArgs, env: opts.env, running: (child) => (current = child) }));
    if (opts.scheduler) ticks = await startTicks({ boss, db, env: opts.env, dirs: opts.dirs, err: opts.err });
    opts.out(`runbook agent: ${host} ready (${playbooks.length} playbooks${opts.scheduler ? ', scheduler' : ''})`);
    const signal = await opts.stop;
    opts.out(`runbook agent: ${host} stopping (${signal})`);
    await boss.offWork(queue);
    await ticks?.stop();
    // The run in progress stops as on SIGTERM and records itself; its job completes with that result.
    current?.kill('SIGTERM');
    await db.query('UPDATE runbook.agents SET stopped_at = now() WHERE host = $1', [host]);
  } finally {
    clearInterval(heartbeat);
    await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
