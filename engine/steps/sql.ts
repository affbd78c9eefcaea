import type { Client, QueryResult } from 'pg';
import { parseDuration } from '../duration.js';
import type { SqlStep } from '../playbook/types.generated.js';
import { hasTemplate } from '../template/render.js';
import { chooseConnection, isConnectionString, withSession } from './sql/connection.js';
import { StatementError } from './sql/failure.js';
import { readsOnly } from './sql/read-only.js';
import { outputOf, resultLines } from './sql/results.js';
import type { StepType } from './types.js';

const DEFAULT_MAX_ROWS = 1000;
const DESCRIBE_WIDTH = 80;

interface Statement {
  text: string;
  /** How messages name it: `the query`, or the generated statement itself. */
  label: string;
  params?: unknown[];
}

/** Runs one text and logs what psql would print; several statements give several results. */
async function execute(client: Client, statement: Statement, log: (line: string) => void, maxRows: number): Promise<QueryResult> {
  // Without params pg uses the simple query protocol: several statements run, VACUUM runs
  // outside any transaction. With params it binds them ($1..$n) to one statement.
  let answer: QueryResult | QueryResult[];
  try {
    answer = statement.params?.length ? await client.query(statement.text, statement.params) : await client.query(statement.text);
  } catch (error) {
    throw new StatementError(error, statement.text, statement.label);
  }
  const results = Array.isArray(answer) ? answer : [answer];
  for (const result of results) resultLines(result, maxRows).forEach((line) => log(line));
  return results.at(-1)!;
}

/** The statements a `gexec` query returned: every non-empty cell, row by row, as psql's \gexec. */
function statementsOf(result: QueryResult): string[] {
  return result.rows.flatMap((row) => result.fields.map((field) => row[field.name]))
    .filter((cell): cell is string => typeof cell === 'string' && cell.trim() !== '');
}

function firstLine(query: string): string {
  const lines = query.trim().split('\n');
  const line = lines[0]!.trim();
  return line.length > DESCRIBE_WIDTH ? `${line.slice(0, DESCRIBE_WIDTH - 1)}…` : `${line}${lines.length > 1 ? ' …' : ''}`;
}

export const sql: StepType<SqlStep> = {
  summary: 'Runs SQL on PostgreSQL; values go in `params` ($1..$n), never into the text.',
  schema: {
    properties: {
      query: { type: 'string', minLength: 1, description: 'SQL text; no templates: pass values as `params` ($1..$n). Several statements run when there are no params' },
      params: { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] }, description: 'Values bound to $1..$n (templates allowed)' },
      database: { type: 'string', description: 'Connection string postgres://user@host:5432/name; default DATABASE_URL, then as psql: the PG* variables, the local socket as the current user' },
      gexec: { type: 'boolean', description: "Then run each value the query returns as a statement of its own, as psql's \\gexec (build them with format('%I') or ::regclass)" },
      max_rows: { type: 'integer', minimum: 0, default: DEFAULT_MAX_ROWS, description: 'Rows kept in the output and the run record (row_count still counts all)' },
    },
    required: ['query'],
  },
  outputs: {
    rows: { type: 'list', description: 'The rows of the (last) statement, each an object by column name (at most max_rows)' },
    row_count: { type: 'number', description: 'How many rows it returned or changed (all of them)' },
    row: { type: 'object', description: 'The first row, or null' },
    value: { type: 'any', description: 'The first column of the first row, or null' },
    executed: { type: 'list', description: 'The statements run after the query', when: 'gexec: true' },
  },
  outputsOf: (step) => ['rows', 'row_count', 'row', 'value', ...(step.gexec ? ['executed'] : [])],
  example: `- id: connections
  name: Connections in use
  type: sql
  query: SELECT count(*) FROM pg_stat_activity WHERE datname = $1
  params: ["{{params.database}}"]
  timeout: 30s`,
  templates: { query: 'literal' },
  sideEffects: (step) => Boolean(step.gexec) || !readsOnly(step.query),
  check(step, report) {
    if (step.database !== undefined && !hasTemplate(step.database) && !isConnectionString(step.database)) {
      report(['database'], '`database` must be a connection string such as postgres://user@host:5432/name, or a template such as "{{env.DATABASE_URL}}"');
    }
  },
  describe(step) {
    const params = step.params?.length ? ` with ${step.params.length} param${step.params.length === 1 ? '' : 's'}` : '';
    return `run SQL \`${firstLine(step.query)}\`${params}${step.gexec ? ', then each statement it returns' : ''}`;
  },
  checklist(step) {
    const bound = (step.params ?? []).map((value, i) => `$${i + 1} = ${JSON.stringify(value)}`).join(', ');
    const then = step.gexec ? ', then run each statement it returns' : '';
    return { text: `Run on the database${bound ? ` (${bound})` : ''}${then}:`, detail: { language: 'sql', code: step.query.trim() } };
  },

  async run(ctx) {
    const { step } = ctx;
    const maxRows = step.max_rows ?? DEFAULT_MAX_ROWS;
    const log = (line: string) => ctx.log(line);
    const session = {
      connection: chooseConnection(step.database, ctx.env),
      // The engine's timer for this step started just now: the deadline is the same.
      deadline: step.timeout ? Date.now() + parseDuration(step.timeout) : undefined,
      signal: ctx.signal,
      applicationName: `runbook ${ctx.context.playbook.name}`,
      onNotice: (line: string) => ctx.log(line, 'stderr'),
      timeout: step.timeout,
    };
    return withSession(session, async (client) => {
      const result = await execute(client, { text: step.query, label: 'the query', params: step.params }, log, maxRows);
      const output = outputOf(result, maxRows);
      if (!step.gexec) return { output, value: output.value };
      const executed = statementsOf(result);
      for (const statement of executed) {
        log(`> ${statement}`);
        await execute(client, { text: statement, label: `\`${firstLine(statement)}\`` }, log, maxRows);
      }
      return { output: { ...output, executed }, value: output.value };
    });
  },
};
