import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../support/cli.js';
import { scratchDatabase, tableWithDeadRows, waitFor, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';

let db: ScratchDatabase;
let state: ReturnType<typeof tempDir>;
beforeAll(async () => {
  db = await scratchDatabase('db_health');
  state = tempDir();
  await tableWithDeadRows(db, { table: 'no_key', primaryKey: false, rows: 10_000, dead: 6_000 });
  await tableWithDeadRows(db, { table: 'keyed', primaryKey: true, rows: 1_000, dead: 10 });
});
afterAll(async () => {
  state?.remove();
  await db?.drop();
});

/** The shipped playbook, found by name from the repository root, as cron would run it. */
function healthCheck(...flags: string[]) {
  return runCli(['run', 'db-health', ...flags], { env: cliEnv(state.dir, { DATABASE_URL: db.url }) });
}

/** The line that ends the step named exactly `name`: `[STATUS] name: message (duration)`. */
function stepLine(stdout: string, name: string): string {
  return stdout.split('\n').find((line) => /^\[[A-Z]+\] /.test(line) && !line.startsWith('[start]') && line.replace(/^\[[A-Z]+\] /, '').startsWith(`${name}: `)) ?? `(no line for ${name})`;
}

/** Sessions that the check must notice: a long query and a transaction left open. */
async function busySessions(): Promise<{ end: () => Promise<void> }> {
  const sleeper = new pg.Client({ connectionString: db.url });
  const idle = new pg.Client({ connectionString: db.url });
  // Dropping the database at the end terminates them: that is expected, not an error of the test.
  for (const client of [sleeper, idle]) client.on('error', () => {});
  await Promise.all([sleeper.connect(), idle.connect()]);
  // The open transaction first, so it is the oldest one (a running query is a transaction too).
  await idle.query('BEGIN');
  await idle.query('SELECT count(*) FROM keyed');
  const sleeping = sleeper.query('SELECT pg_sleep(60) /* slow report */').catch(() => undefined);
  await waitFor(() => db.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%slow report%' AND state = 'active' AND pid <> pg_backend_pid()"), (rows) => Number(rows[0]!.n) === 1, 'the slow query to start');
  return {
    async end() {
      await idle.query('ROLLBACK');
      await db.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%slow report%' AND pid <> pg_backend_pid()");
      await sleeping;
      await Promise.all([sleeper.end(), idle.end()]);
    },
  };
}

describe('db-health playbook', () => {
  it('first run: reports the missing key, the dead rows, no replicas, the long query and the open transaction', async () => {
    const busy = await busySessions();
    let result;
    try {
      result = await healthCheck();
    } finally {
      await busy.end();
    }
    const out = result.stdout;
    expect(result.stderr).toBe('');
    expect(stepLine(out, 'Connections against max_connections')).toMatch(/^\[OK\] .*: \d+ of \d+ connections in use \([\d.]+%\)/);
    expect(stepLine(out, 'Database growth since the previous run')).toContain(`${db.name} is `);
    expect(stepLine(out, 'Database growth since the previous run')).toContain('first run: no earlier size to compare with');
    expect(stepLine(out, 'Every table has a primary key')).toMatch(/^\[WARN\] .*: 1 table\(s\) without a primary key: public\.no_key \(/);
    expect(stepLine(out, 'Dead rows against live rows')).toMatch(/^\[WARN\] .*: public\.no_key has 6000 dead rows, 60% of its rows: run db-vacuum-analyze/);
    expect(stepLine(out, 'Replication lag (skipped when the server has no replicas)')).toMatch(/^\[SKIPPED\] Replication lag \(skipped when the server has no replicas\): only if row.has_replicas from “Replicas” is set/);
    expect(stepLine(out, 'Longest-running query')).toMatch(/^\[OK\] .*: pid \d+ \(postgres\) has run for [\d.]+s: SELECT pg_sleep\(60\) \/\* slow report \*\//);
    expect(stepLine(out, 'Oldest open transaction')).toMatch(/^\[OK\] .*: pid \d+ \(postgres, idle in transaction\) has held a transaction open for [\d.]+s; last query: SELECT count\(\*\) FROM keyed/);
    expect(out.trim().split('\n').at(-1)).toMatch(/^DB-HEALTH WARNING - .*1 table\(s\) without a primary key: public\.no_key.* \| connections_used=/);
    expect(result.code).toBe(1);

    const reportPath = /^report: (.+)$/m.exec(out)?.[1];
    expect(reportPath).toMatch(new RegExp(`^${state.dir}/reports/db-health-report-\\d{4}-\\d{2}-\\d{2}\\.txt$`));
    expect(readFileSync(reportPath!, 'utf8')).toContain('WARN primary_keys: 1 table(s) without a primary key: public.no_key');
  });

  it('without DATABASE_URL connects as psql does: the PG* variables, the local socket for the host', async () => {
    const env = cliEnv(state.dir, { PGUSER: 'postgres', PGDATABASE: db.name, PGPORT: '5432' });
    const doc = JSON.parse((await runCli(['run', 'db-health', '--json'], { env })).stdout);
    const step = (id: string) => doc.steps.find((s: { id: string }) => s.id === id);
    expect(step('connections').status).toBe('ok');
    expect(step('primary_keys').output.message).toBe('1 table(s) without a primary key: public.no_key');
  });

  it('second run: computes the growth since the first', async () => {
    await db.query("INSERT INTO keyed SELECT g, repeat('y', 500) FROM generate_series(100000, 120000) AS g");
    const result = await healthCheck('--json');
    const doc = JSON.parse(result.stdout);
    const growth = doc.steps.find((step: { id: string }) => step.id === 'growth');
    expect(growth.value).toBeGreaterThan(0);
    expect(growth.output.message).toMatch(new RegExp(`^${db.name} is [\\d.]+ MiB; [\\d.]+ MiB \\([\\d.]+%\\) since the previous run at \\d{4}-`));
  });
});
