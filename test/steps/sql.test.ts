import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';
import { scratchDatabase, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';

const SQL_FIXTURES = path.join(FIXTURES, 'sql');
const PASSWORD = 'pw-s3cret-4711';

let db: ScratchDatabase;
const state = freshTempDir();
beforeAll(async () => {
  db = await scratchDatabase('sql_step');
});
afterAll(() => db?.drop());

/** The URL with a password: the server trusts 127.0.0.1, so it connects and the password must still never show. */
function urlWithPassword(): string {
  return db.url.replace('postgres@', `postgres:${PASSWORD}@`);
}

function run(args: string[], env: Record<string, string> = {}) {
  return runCli(['--dir', SQL_FIXTURES, 'run', ...args], { env: cliEnv(state.dir, { DATABASE_URL: urlWithPassword(), ...env }) });
}

/** Every file runbook wrote for its runs, as one text. */
function recorded(): string {
  const files = readdirSync(state.dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return files.map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).join('\n');
}

describe('sql step', () => {
  it('gives rows, row_count, row and value, as JSON-native values, to later steps', async () => {
    const result = await run(['outputs', '--json']);
    expect(result.stderr).toBe('');
    const doc = JSON.parse(result.stdout);
    const step = (id: string) => doc.steps.find((s: { id: string }) => s.id === id);

    expect(step('typed').output).toEqual({
      rows: [{ n: 3, price: 12.5, huge: '12345678901234567890', at: '2026-11-27 01:30:00+00', span: '1 day', doc: { a: 1 }, nothing: null }],
      row_count: 1,
      row: { n: 3, price: 12.5, huge: '12345678901234567890', at: '2026-11-27 01:30:00+00', span: '1 day', doc: { a: 1 }, nothing: null },
      value: 3,
    });
    expect(step('capped').output).toMatchObject({ rows: [{ n: 1 }, { n: 2 }], row_count: 5, value: 1 });
    expect(step('several').value).toBe(3);
    expect(step('vacuum').status).toBe('ok');
    expect(step('echo').output.stdout).toBe('total=3 first=1 count=5');
    expect(step('session').value).toBe('runbook outputs'); // a DBA can tell runbook's sessions apart
    expect(doc.exit_code).toBe(0);
  });

  it('prints results as psql would: a table and a row count, or the command tag', async () => {
    const result = await run(['outputs']);
    expect(result.stdout).toMatch(/\| n\s+price\s+huge/);
    expect(result.stdout).toContain('| (5 rows; the first 2 kept, see max_rows)');
    expect(result.stdout).toContain('| INSERT 2');
    expect(result.stdout).toContain('| VACUUM');
    expect(result.code).toBe(0);
  });

  it("binds params as data: `'; DROP TABLE notes; --` is stored verbatim and the table stays", async () => {
    await db.query('CREATE TABLE notes (id serial PRIMARY KEY, body text)');
    const evil = "'; DROP TABLE notes; --";
    const result = await run(['store-note', '--param', `note=${evil}`]);
    expect(result.code).toBe(0);
    const rows = await db.query('SELECT body FROM notes');
    expect(rows).toEqual([{ body: evil }]);
  });

  it('never shows the connection password: not in progress, the JSON document or the records', async () => {
    const plain = await run(['outputs']);
    const json = await run(['outputs', '--json']);
    expect(plain.code).toBe(0);
    for (const text of [plain.stdout, plain.stderr, json.stdout, recorded()]) expect(text).not.toContain(PASSWORD);
  });

  it('finds the database through the PG* variables when DATABASE_URL is not set', async () => {
    const env = cliEnv(state.dir, { PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres', PGDATABASE: db.name });
    const result = await runCli(['--dir', SQL_FIXTURES, 'run', 'select-one', '--json'], { env });
    const doc = JSON.parse(result.stdout);
    expect(doc.steps[0].value).toBe(1);
    expect(result.code).toBe(0);
  });
});
