import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { findPlaybook } from '../playbook/locate.js';
import { nameProblem } from '../playbook/name.js';
import { cliPath, nodeDirMissingFrom } from '../schedule/cli-path.js';
import type { RunJobData, RunJobResult } from './boss.js';
import { FLEET_JOB } from './host-store.js';
import { changesMachine } from './retry.js';

/** A fleet job as the agent's worker gets it (pg-boss, includeMetadata). */
export interface FleetJob {
  id: string;
  data: unknown;
  retryCount: number;
  expireInSeconds: number;
}

/** Ended this long before pg-boss would expire the job: the run records itself as stopped, not lost. */
const STOP_MARGIN_MS = 2000;

function refused(host: string, why: string): RunJobResult {
  return { host, status: 'UNKNOWN', exit_code: 3, run_id: null, summary: `refused on ${host}: ${why}`, refused: why };
}

/** The job's data when it has the shape of one (anything else is refused, never guessed at). */
function jobData(data: unknown): RunJobData | undefined {
  const d = data as Partial<RunJobData> | null;
  if (!d || typeof d.playbook !== 'string' || !d.params || typeof d.params !== 'object') return undefined;
  if (!Object.values(d.params).every((value) => typeof value === 'string')) return undefined;
  return { playbook: d.playbook, params: d.params, yes: d.yes === true, tick: typeof d.tick === 'string' ? d.tick : undefined };
}

/** What refuses a job before anything runs: a malformed job, a name that is not one, a playbook this host lacks. */
async function refusal(job: FleetJob, opts: { host: string; dirs: string[] }): Promise<string | undefined> {
  const data = jobData(job.data);
  if (!data) return 'not a runbook job (it must name a playbook and string params)';
  const bad = nameProblem(data.playbook);
  if (bad) return bad;
  if (!findPlaybook(data.playbook, opts.dirs)) return `playbook ${data.playbook} is not on this host (an agent runs only the playbooks in its own folders)`;
  if (job.retryCount > 0) {
    // A retry follows an attempt that was lost mid-run (its agent died): repeating a fix that
    // may have half happened is for a person to decide.
    if (await changesMachine(data.playbook, opts.dirs)) return `not retried automatically: ${data.playbook} changes the machine and its earlier attempt was lost mid-run`;
  }
  return undefined;
}

function resultOf(host: string, stdout: string, code: number | null): RunJobResult {
  try {
    const doc = JSON.parse(stdout) as { run_id?: string; status?: RunJobResult['status']; exit_code?: number; summary?: string; error?: { message: string } };
    if (doc.error) return refused(host, doc.error.message);
    return { host, status: doc.status ?? 'UNKNOWN', exit_code: doc.exit_code ?? 3, run_id: doc.run_id ?? null, summary: doc.summary ?? '' };
  } catch {
    return { host, status: 'UNKNOWN', exit_code: 3, run_id: null, summary: `runbook run ended (exit ${code}) without its result` };
  }
}

/**
 * Works one job: the named playbook runs through the CLI (`runbook run NAME --json`), exactly as
 * on the command line or from cron: same validation, same lock, same local record, mirrored to
 * the fleet database with the job's id. The child stops (as on SIGTERM) when the job's time is
 * nearly up or the agent stops; when the agent dies outright, its IPC channel closes and the
 * run stops the same way.
 */
export async function workJob(job: FleetJob, opts: { host: string; dirs: string[]; dirArgs: string[]; env: NodeJS.ProcessEnv; running: (child: ChildProcess | undefined) => void }): Promise<RunJobResult> {
  const why = await refusal(job, opts).catch((error) => errorMessage(error));
  if (why) return refused(opts.host, why);
  const data = jobData(job.data)!;
  const args = [
    ...opts.dirArgs, 'run', '--json', ...(data.yes ? ['--yes'] : []),
    // One token each: a value starting with `-` stays a value.
    ...Object.entries(data.params).map(([name, value]) => `--param=${name}=${value}`), '--', data.playbook,
  ];
  // The bin itself, as cron runs it, with this agent's node on PATH (nodeDirMissingFrom).
  const dirs = (opts.env.PATH ?? '').split(path.delimiter);
  const missing = nodeDirMissingFrom(dirs);
  const env = { ...opts.env, [FLEET_JOB]: `${job.id}:${job.retryCount}`, ...(missing ? { PATH: [missing, ...dirs.filter(Boolean)].join(path.delimiter) } : {}) };
  const child = spawn(cliPath(), args, { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  opts.running(child);
  const timer = setTimeout(() => child.kill('SIGTERM'), Math.max(1000, job.expireInSeconds * 1000 - STOP_MARGIN_MS));
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  try {
    const code = await new Promise<number | null>((resolve) => {
      child.on('error', () => resolve(null));
      child.on('close', (exit) => resolve(exit));
    });
    return resultOf(opts.host, stdout, code);
  } finally {
    clearTimeout(timer);
    opts.running(undefined);
  }
}
