import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from '../../engine/steps/sql.js';
import { describeFailure, lineAndColumn } from '../../engine/steps/sql/failure.js';
import { exactNumber } from '../../engine/steps/sql/results.js';
import type { SqlStep } from '../../engine/playbook/types.generated.js';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';

const step = (fields: Partial<SqlStep>): SqlStep => ({ name: 'a query', type: 'sql', query: 'SELECT 1', ...fields });
const changes = (query: string, more: Partial<SqlStep> = {}) => (sql.sideEffects as (s: SqlStep) => boolean)(step({ query, ...more }));
const AT = { target: '10.0.0.5:5432/app as app (from DATABASE_URL)' };

describe('sql step type', () => {
  it('counts only plain reads as free of side effects', () => {
    for (const query of ['SELECT count(*) FROM t', 'show max_connections', '-- why\nWITH a AS (SELECT 1) SELECT * FROM a', "SELECT 'DELETE' AS word", 'EXPLAIN SELECT 1']) {
      expect(changes(query), query).toBe(false);
    }
    for (const query of ['VACUUM (ANALYZE)', 'WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'SELECT * INTO copy FROM t', 'SELECT pg_terminate_backend(42)', 'SELECT 1; DROP TABLE t', 'EXPLAIN ANALYZE DELETE FROM t']) {
      expect(changes(query), query).toBe(true);
    }
    expect(changes('SELECT 1', { gexec: true })).toBe(true);
  });

  it('describes itself by its query, and checklists the whole query as sql', () => {
    const vacuum = step({ query: 'SELECT format($$VACUUM %I$$, $1)\nFROM x', params: ['{{params.table}}'], gexec: true });
    expect(sql.describe(vacuum)).toBe('run SQL `SELECT format($$VACUUM %I$$, $1) …` with 1 param, then each statement it returns');
    expect(sql.checklist!(vacuum)).toEqual({
      text: 'Run on the database ($1 = "{{params.table}}"), then run each statement it returns:',
      detail: { language: 'sql', code: 'SELECT format($$VACUUM %I$$, $1)\nFROM x' },
    });
  });

  it('refuses, at validation, templates in SQL text and a `database` that is no connection string', async () => {
    const state = tempDir();
    try {
      const file = path.join(FIXTURES, 'sql', 'invalid', 'templated-query.yaml');
      const result = await runCli(['validate', file], { env: cliEnv(state.dir) });
      expect(result.code).toBe(3);
      expect(result.stdout + result.stderr).toContain(`${file}:8:12: \`query\` cannot hold templates: pass values as parameters instead`);
      expect(result.stdout + result.stderr).toContain(`${file}:11:15: \`database\` must be a connection string`);
    } finally {
      state.remove();
    }
  });

  // Errors the test server cannot produce (it trusts 127.0.0.1), in the shape pg gives them.
  it('says a wrong password plainly, and where the password is set, without showing one', () => {
    const wrong = Object.assign(new Error('password authentication failed for user "app"'), { severity: 'FATAL', code: '28P01' });
    expect(describeFailure(wrong, AT)).toBe('authentication failed at 10.0.0.5:5432/app as app (from DATABASE_URL): password authentication failed for user "app" (check the password in DATABASE_URL, PGPASSWORD or ~/.pgpass)');
    const none = new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string');
    expect(describeFailure(none, AT)).toBe('authentication failed at 10.0.0.5:5432/app as app (from DATABASE_URL): the server asks for a password and none was given (set it in DATABASE_URL, PGPASSWORD or ~/.pgpass)');
  });

  it('turns a character position into line and column, counting characters, not bytes', () => {
    expect(lineAndColumn('SELECT 1;\nSELEC 2', 11)).toBe('line 2, column 1');
    expect(lineAndColumn("SELECT 'été',\n  nope", 17)).toBe('line 2, column 3');
  });

  it('keeps big numbers as numbers only when no digit is lost', () => {
    expect(exactNumber('8150375')).toBe(8150375);
    expect(exactNumber('12.50')).toBe(12.5);
    expect(exactNumber('9007199254740993')).toBe('9007199254740993');
    expect(exactNumber('NaN')).toBe('NaN');
  });
});
