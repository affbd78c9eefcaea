import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, scratchDatabase, SERVER_URL, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';
import { cliEnv, FIXTURES, ROOT, runCli, tempDir } from '../support/cli.js';

// docs/fleet-roles.sql as the README tells an operator to apply it. Roles belong to the whole
// server, which other test runs share: the group roles get this run's suffix, and this file's
// own database is dropped first, then the roles it made.
const BOOKS = path.join(FIXTURES, 'fleet', 'hosts');
const HOST = `web-${process.pid}`;
const AGENT = `runbook_agent_${process.pid}`;
const OPERATOR = `runbook_operator_${process.pid}`;
let db: ScratchDatabase;
const state = tempDir('runbook-fleet-roles-');

const run = (url: string, host: string) => runCli(['--dir', BOOKS, 'run', 'quick', '--json'], { env: cliEnv(state.dir, { RUNBOOK_FLEET_URL: url, RUNBOOK_HOST: host }) });

beforeAll(async () => {
  db = await scratchDatabase('fleet_roles');
  // The operator's first fleet command creates the schemas, and so owns them.
  const first = await runCli(['--dir', BOOKS, 'fleet', 'schedule'], { env: cliEnv(state.dir, { RUNBOOK_FLEET_URL: db.url }) });
  expect(first.code).toBe(0);
  const script = readFileSync(path.join(ROOT, 'docs', 'fleet-roles.sql'), 'utf8');
  await db.query(script.replaceAll('runbook_agent', AGENT).replaceAll('runbook_operator', OPERATOR));
  await db.query(`CREATE ROLE "${HOST}" LOGIN IN ROLE ${AGENT}`);
}, 60_000);

afterAll(async () => {
  await db?.drop();
  await query(`${SERVER_URL}/postgres`, `DROP ROLE IF EXISTS "${HOST}", ${AGENT}, ${OPERATOR}`);
  state.remove();
});

describe('fleet roles (docs/fleet-roles.sql)', () => {
  it('an agent\'s login writes and reads its own host\'s records only; the operator sees every host', async () => {
    const agentUrl = `postgres://${HOST}@127.0.0.1:5432/${db.name}`;
    const own = await run(agentUrl, HOST);
    expect(own.code).toBe(0);
    expect(own.stderr).toBe('');
    const other = await run(agentUrl, 'someone-else');
    expect(other.code).toBe(0); // recorded locally all the same
    expect(other.stderr).toContain('the fleet database did not take run');
    expect(other.stderr).toContain('row-level security');
    expect(other.stderr).not.toContain(agentUrl);
    expect((await query(agentUrl, 'SELECT host FROM runbook.runs')).map((row) => row.host)).toEqual([HOST]);
    await run(db.url, 'someone-else');
    expect((await db.query('SELECT host FROM runbook.runs ORDER BY host')).map((row) => row.host)).toEqual([HOST, 'someone-else'].sort());
    expect((await query(agentUrl, 'SELECT host FROM runbook.runs')).map((row) => row.host)).toEqual([HOST]);
  });
});
