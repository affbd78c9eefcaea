import { RunbookError } from '../errors.js';
import { nameProblem } from '../playbook/name.js';
import { bossDb, ensureQueue, EXPIRED_MESSAGE, openBoss, runQueue, type Boss, type RunJobData, type RunJobResult } from './boss.js';
import { checkHost, fleetTimings, requireFleetUrl } from './config.js';
import { ensureSchema, type Db } from './db.js';
import { LOST, markLost } from './lost.js';
import { retryLimitFor } from './retry.js';

const POLL_MS = 500;

function unknown(host: string, summary: string): RunJobResult {
  return { host, status: 'UNKNOWN', exit_code: 3, run_id: null, summary };
}

interface AgentRow {
  host: string;
  alive: boolean;
  last_seen: Date;
  stopped_at: Date | null;
}

/**
 * The hosts to send to, and the others answered at once: no agent registered, stopped, or silent
 * for three heartbeats (a job would wait for an agent that may never come back).
 */
async function targets(db: Db, opts: { env: NodeJS.ProcessEnv; hosts: string[]; all: boolean }): Promise<{ send: string[]; answered: RunJobResult[] }> {
  const { rows } = await db.query<AgentRow>(
    'SELECT host, last_seen, stopped_at, (stopped_at IS NULL AND last_seen > now() - make_interval(secs => $1)) AS alive FROM runbook.agents ORDER BY host',
    [fleetTimings(opts.env).heartbeatSeconds * 3]);
  const asked = opts.all ? rows.filter((row) => !row.stopped_at).map((row) => row.host) : [...new Set(opts.hosts.map(checkHost))];
  const send: string[] = [];
  const answered: RunJobResult[] = [];
  for (const host of asked) {
    const agent = rows.find((row) => row.host === host);
    if (agent?.alive) send.push(host);
    else if (!agent) answered.push(unknown(host, 'no agent registered for this host'));
    else if (agent.stopped_at) answered.push(unknown(host, `its agent stopped at ${new Date(agent.stopped_at).toISOString()}: not sent`));
    else answered.push(unknown(host, `its agent is silent since ${new Date(agent.last_seen).toISOString()}: not sent`));
  }
  return { send, answered };
}

/** The job's outcome once it has one; undefined while it is queued, running or waiting for its retry. */
function outcome(host: string, job: { state: string; output: unknown } | null): RunJobResult | undefined {
  if (!job) return unknown(host, 'the job is gone from the queue');
  if (job.state === 'completed') return job.output as RunJobResult;
  if (job.state === 'failed') {
    const message = (job.output as { value?: { message?: string }; message?: string } | null)?.value?.message ?? (job.output as { message?: string } | null)?.message;
    return unknown(host, message === EXPIRED_MESSAGE ? LOST : `the job failed: ${message ?? 'no reason given'}`);
  }
  if (job.state === 'cancelled') return unknown(host, 'the job was cancelled');
  return undefined;
}

async function waitAll(boss: Boss, sent: { host: string; id: string }[], deadline: number): Promise<RunJobResult[]> {
  const results = new Map<string, RunJobResult>();
  while (results.size < sent.length && Date.now() < deadline) {
    for (const { host, id } of sent.filter((s) => !results.has(s.host))) {
      const done = outcome(host, await boss.getJobById(runQueue(host), id) as { state: string; output: unknown } | null);
      if (done) results.set(host, done);
    }
    if (results.size < sent.length) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  for (const { host, id } of sent.filter((s) => !results.has(s.host))) {
    // Not run by now: it must not start later, when nobody waits for it.
    await boss.cancel(runQueue(host), id).catch(() => {});
    results.set(host, unknown(host, 'no result in time (is its agent running?); the job was cancelled if it had not started'));
  }
  return sent.map(({ host }) => results.get(host)!);
}

/**
 * `runbook fleet run NAME`: one job per host, then wait for every result. A host with no agent
 * registered is UNKNOWN at once; a run that outlives `timeoutMs` is stopped by its agent; an
 * agent that dies mid-run shows as lost once pg-boss expires its job.
 */
export async function fleetRun(opts: { env: NodeJS.ProcessEnv; playbook: string; hosts: string[]; all: boolean; params: Record<string, string>; yes: boolean; timeoutMs: number; dirs: string[]; err: (line: string) => void }): Promise<RunJobResult[]> {
  const bad = nameProblem(opts.playbook);
  if (bad) throw new RunbookError('BAD_ARGUMENT', bad);
  if (!opts.all && !opts.hosts.length) throw new RunbookError('BAD_ARGUMENT', 'name the hosts (--host H, repeatable) or --all');
  const url = requireFleetUrl(opts.env);
  const boss = await openBoss({ url, env: opts.env, supervise: true, schedule: false, onError: (message) => opts.err(`runbook fleet: ${message}`) });
  try {
    const db = bossDb(boss);
    await ensureSchema(db);
    const { send, answered } = await targets(db, opts);
    if (!send.length && !answered.length) throw new RunbookError('BAD_ARGUMENT', 'no agent has registered yet: start `runbook agent` on the hosts');
    const data: RunJobData = { playbook: opts.playbook, params: opts.params, yes: opts.yes };
    const expireInSeconds = Math.max(1, Math.ceil(opts.timeoutMs / 1000));
    const retryLimit = await retryLimitFor(opts.playbook, opts.dirs);
    const sent: { host: string; id: string }[] = [];
    for (const host of send) {
      await ensureQueue(boss, runQueue(host));
      const id = await boss.send(runQueue(host), data, { expireInSeconds, retryLimit, retryDelay: 1 });
      if (id) sent.push({ host, id });
    }
    // Expiry is found by maintenance: allow one round of it, and the retry a lost run without side effects gets.
    const deadline = Date.now() + 2 * opts.timeoutMs + 2 * fleetTimings(opts.env).maintenanceSeconds * 1000 + 5000;
    const results = await waitAll(boss, sent, deadline);
    await markLost(db);
    return [...results, ...answered].sort((a, b) => a.host.localeCompare(b.host));
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
