// The fleet's costs, by hand (not part of `npm run bench`): `npm run build && npx tsx bench/fleet.ts`.
// Ten agents on this machine: the time from `fleet run --all` to ten results (median of 5) and an
// idle agent's RSS; then 50 idle agents: the connections they hold (pg_stat_activity).
// Needs PostgreSQL (trust) at BENCH_PG (default postgres://postgres@127.0.0.1:5432) with room for
// 50+ connections; makes and drops its own database.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { median } from './measure.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'runbook');
const BOOKS = path.join(ROOT, 'test', 'fixtures', 'fleet', 'hosts');
const SERVER = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const NAME = `runbook_bench_fleet_${process.pid}`;
const URL = `${SERVER}/${NAME}`;

async function sql<R = Record<string, unknown>>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as R[];
  } finally {
    await client.end();
  }
}

const temp = mkdtempSync(path.join(os.tmpdir(), 'runbook-bench-fleet-'));
const env = (host: string) => ({ PATH: process.env.PATH, HOME: process.env.HOME, RUNBOOK_FLEET_URL: URL, RUNBOOK_HOST: host, RUNBOOK_STATE_DIR: path.join(temp, host), RUNBOOK_ENV_FILE: path.join(temp, 'none') });

const started: ChildProcess[] = [];

function startAgent(host: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, '--dir', BOOKS, 'agent'], { env: env(host), stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready')) resolve(child);
    });
    child.on('close', (code) => reject(new Error(`agent ${host} exited ${code}`)));
  });
}

async function stopAll(agents: ChildProcess[]): Promise<void> {
  await Promise.all(agents.map((child) => new Promise((resolve) => (child.once('close', resolve), child.kill('SIGTERM')))));
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const hosts = (n: number) => Array.from({ length: n }, (_, i) => `bench-${String(i).padStart(2, '0')}`);

await sql(`${SERVER}/postgres`, `CREATE DATABASE ${NAME}`);
try {
  const [first, ...rest] = hosts(10);
  const ten = [await startAgent(first!), ...(await Promise.all(rest.map(startAgent)))];
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, '--dir', BOOKS, 'fleet', 'run', 'quick', '--all', '--json'], { env: env('operator'), encoding: 'utf8' });
    const doc = JSON.parse(result.stdout);
    if (doc.hosts.length !== 10 || doc.exit_code !== 0) throw new Error(`fleet run: ${result.stdout}${result.stderr}`);
    times.push(performance.now() - started);
  }
  console.log(`fleet run --all, 10 agents, to ten results: median ${(median(times) / 1000).toFixed(2)} s (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')})`);
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const rss = ten.map((child) => rssMiB(child.pid!));
  console.log(`idle agent RSS after 15 s: median ${rss.length && median(rss).toFixed(1)} MiB (min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)})`);
  await stopAll(ten);
  const fifty = [await startAgent('idle-00'), ...(await Promise.all(Array.from({ length: 49 }, (_, i) => startAgent(`idle-${String(i + 1).padStart(2, '0')}`))))];
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  const counts = [];
  for (let i = 0; i < 5; i++) {
    const [row] = await sql<{ n: string }>(`${SERVER}/postgres`, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '${NAME}' AND application_name = 'runbook'`);
    counts.push(Number(row!.n));
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const fiftyRss = fifty.map((child) => rssMiB(child.pid!));
  await stopAll(fifty);
  console.log(`idle agents' RSS with 50 up: median ${median(fiftyRss).toFixed(1)} MiB`);
  console.log(`connections held by 50 idle agents (5 looks, 2 s apart): ${counts.join(', ')} (max ${Math.max(...counts)})`);
} finally {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sql(`${SERVER}/postgres`, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${NAME}'`);
  await sql(`${SERVER}/postgres`, `DROP DATABASE IF EXISTS ${NAME}`);
  rmSync(temp, { recursive: true, force: true });
}
