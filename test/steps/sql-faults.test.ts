import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, freshTempDir, type CliResult } from '../support/cli.js';
import { SERVER_URL, scratchDatabase, waitFor, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';

const SQL_FIXTURES = path.join(FIXTURES, 'sql');
const PASSWORD = 'pw-s3cret-4711';

let db: ScratchDatabase;
const state = freshTempDir();
beforeAll(async () => {
  db = await scratchDatabase('sql_faults');
});
afterAll(() => db?.drop());

function run(args: string[], env: Record<string, string>, onSpawn?: Parameters<typeof runCli>[1]['onSpawn']): Promise<CliResult> {
  return runCli(['--dir', SQL_FIXTURES, 'run', ...args], { env: cliEnv(state.dir, env), onSpawn });
}

/** A port nothing listens on: taken from the system, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The failed step's line, after checking what every failure shares: one line, CRITICAL, no stack, no password. */
function failureLine(result: CliResult, step: string): string {
  const output = `${result.stdout}\n${result.stderr}`;
  expect(output).not.toContain(PASSWORD);
  expect(output).not.toMatch(/^\s+at /m); // no stack trace
  expect(result.code).toBe(2);
  const line = result.stdout.split('\n').find((l) => l.startsWith(`[FAILED] ${step}: `));
  expect(line, result.stdout).toBeDefined();
  return line!;
}

/** Sessions of this test's database still running a query that holds `marker`. */
async function running(marker: string): Promise<number> {
  const rows = await db.query('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND query LIKE $2 AND pid <> pg_backend_pid()', [db.name, `%${marker}%`]);
  return Number(rows[0]!.n);
}

describe('sql step faults: clear one-line CRITICAL messages', () => {
  it('server down: connection refused, said at once with host and port', async () => {
    const port = await closedPort();
    const result = await run(['select-one'], { DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db.name}`, PGPASSWORD: PASSWORD });
    expect(failureLine(result, 'Ask the server for 1')).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${port}/${db.name} as postgres (from DATABASE_URL): connection refused`);
  });

  // The server trusts every connection from 127.0.0.1 (pg_hba.conf `trust`), so a wrong password
  // is accepted here: an unknown role is the authentication failure this server can produce.
  // The wording of a real wrong password (28P01) is checked in sql-type.test.ts.
  it('authentication failure: an unknown role', async () => {
    const result = await run(['select-one'], { DATABASE_URL: `postgres://nobody_here:${PASSWORD}@127.0.0.1:5432/${db.name}` });
    expect(failureLine(result, 'Ask the server for 1')).toContain('authentication failed at 127.0.0.1:5432/');
    expect(result.stdout).toContain('role "nobody_here" does not exist');
  });

  it('unknown database', async () => {
    const result = await run(['select-one'], { DATABASE_URL: `${SERVER_URL}/${db.name}_missing` });
    expect(failureLine(result, 'Ask the server for 1')).toContain(`unknown database at 127.0.0.1:5432/${db.name}_missing as postgres (from DATABASE_URL): database "${db.name}_missing" does not exist`);
  });

  it('no DATABASE_URL and no PG* variables: connects as psql would, by the local socket as the current user', async () => {
    const result = await run(['select-one', '--json'], {});
    const step = JSON.parse(result.stdout).steps[0];
    const user = os.userInfo().username;
    // As root (no such role) the server refuses; as a user with a role and a database of its name, it answers.
    if (step.status === 'ok') expect(step.value).toBe(1);
    else expect(step.error).toContain(`/var/run/postgresql:5432/${user} as ${user} (from libpq's defaults, as psql (no DATABASE_URL, no PG* variables)): `);
  });

  it('a syntax error gives its line and column; a statement_timeout gives the server\'s reason', async () => {
    const result = await run(['mistakes'], { DATABASE_URL: db.url });
    expect(failureLine(result, 'A typo on line 2')).toContain('syntax error at or near "SELEC" at line 2, column 1 of the query (SQLSTATE 42601)');
    expect(failureLine(result, 'A statement past its statement_timeout')).toContain('query cancelled: canceling statement due to statement timeout');
  });

  it("the step's timeout ends the query on the server too", async () => {
    const result = await run(['slow', '--only', 'sleep_timeout'], { DATABASE_URL: db.url });
    // The server cancels just before the deadline; on a loaded machine the client's deadline may come first.
    expect(failureLine(result, 'Sleep past the step timeout')).toMatch(/statement timeout \(the step's timeout is 3s\)|timed out after 3\.0s/);
    await waitFor(() => running('marker-timeout'), (n) => n === 0, 'the timed-out query to end on the server');
  });

  it('an interrupt closes the connection and cancels the running query', async () => {
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const finished = run(['slow', '--only', 'sleep_forever'], { DATABASE_URL: db.url }, (spawned) => {
      child = spawned;
    });
    await waitFor(() => running('marker-interrupt'), (n) => n === 1, 'the query to run on the server');
    child!.kill('SIGTERM');
    const result = await finished;
    expect(result.code).toBe(3); // UNKNOWN: interrupted
    expect(result.stdout).toMatch(/\[FAILED\] Sleep until interrupted: stopped \(SIGTERM\): the connection to PostgreSQL was closed/);
    await waitFor(() => running('marker-interrupt'), (n) => n === 0, 'the interrupted query to end on the server');
  });
});
