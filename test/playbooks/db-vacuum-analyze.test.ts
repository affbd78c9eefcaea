import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../support/cli.js';
import { deleteRows, scratchDatabase, tableWithDeadRows, waitFor, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';

let db: ScratchDatabase;
let state: ReturnType<typeof tempDir>;
beforeAll(async () => {
  db = await scratchDatabase('db_vacuum');
  state = tempDir();
  await tableWithDeadRows(db, { table: 'no_key', primaryKey: false, rows: 10_000, dead: 5_000 });
  await tableWithDeadRows(db, { table: 'keyed', primaryKey: true, rows: 2_000, dead: 1_500 });
});
afterAll(async () => {
  state?.remove();
  await db?.drop();
});

/** The shipped playbook, found by name from the repository root. */
function vacuum(...flags: string[]) {
  return runCli(['run', 'db-vacuum-analyze', ...flags], { env: cliEnv(state.dir, { DATABASE_URL: db.url }) });
}

/** The report's row for `table`, its cells split on the table's column gaps. */
function reportRow(stdout: string, table: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`    | ${table} `));
  return line ? line.replace('    | ', '').trim().split(/\s{2,}/) : [];
}

describe('db-vacuum-analyze playbook', () => {
  it('vacuums the whole database while another session reads it, and reports before and after', async () => {
    // A reader with an open transaction, started after the deletes: it must neither block the
    // VACUUM nor be blocked by it (no downtime).
    const reader = new pg.Client({ connectionString: db.url });
    reader.on('error', () => {});
    await reader.connect();
    let result;
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM no_key');
      result = await vacuum();
      expect((await reader.query('SELECT count(*)::int AS n FROM no_key')).rows[0].n).toBe(5_000);
      await reader.query('COMMIT');
    } finally {
      await reader.end();
    }

    const out = result.stdout;
    expect(result.stderr).toBe('');
    expect(out).toContain('    | > VACUUM (ANALYZE)\n    | VACUUM');
    expect(out).toMatch(/\[OK\] Dead rows removed: 2 table\(s\) vacuumed: 6500 dead rows before, 0 after/);
    // table, size, live_rows, dead_before, dead_after, last_vacuum, last_analyze
    const [, , , deadBefore, deadAfter, lastVacuum, lastAnalyze] = reportRow(out, 'public.no_key');
    expect([deadBefore, deadAfter]).toEqual(['5000', '0']);
    expect(lastVacuum).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(lastAnalyze).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(out).toMatch(/\[WARN\] Every table has a primary key: 1 table\(s\) without a primary key: public\.no_key/);
    expect(out.trim().split('\n').at(-1)).toMatch(/^DB-VACUUM-ANALYZE WARNING - 1 table\(s\) without a primary key: public\.no_key/);
    expect(result.code).toBe(1);

    // Checked apart from the playbook's own report: the dead rows are gone.
    expect(await waitFor(() => db.deadRows('no_key'), (dead) => dead === 0, 'no dead rows in no_key')).toBe(0);
    expect(await db.deadRows('keyed')).toBe(0);
  });

  it('vacuums only the tables given in `tables`', async () => {
    await deleteRows(db, 'no_key', 1_000);
    await deleteRows(db, 'keyed', 100);
    const result = await vacuum('--param', 'tables=keyed');
    expect(result.stdout).toContain('    | > VACUUM (ANALYZE) keyed\n');
    expect(result.stdout).toMatch(/Dead rows removed: 1 table\(s\) vacuumed: 100 dead rows before, 0 after/);
    expect(await db.deadRows('keyed')).toBe(0);
    expect(await db.deadRows('no_key')).toBe(1_000);
  });

  it("refuses a `tables` value that is not a table name: `'; DROP TABLE no_key; --` runs nothing", async () => {
    const result = await vacuum('--param', "tables='; DROP TABLE no_key; --");
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^\[FAILED\] VACUUM \(ANALYZE\): invalid name syntax \(SQLSTATE 42602\) \(/m);
    expect(result.stdout).not.toContain('| > ');
    expect(await db.query("SELECT to_regclass('no_key') IS NOT NULL AS present")).toEqual([{ present: true }]);
  });
});
