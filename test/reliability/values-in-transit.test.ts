import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, type ScratchDatabase } from '../fixtures/sql/scratch-database.js';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';
import { startHttpServer, type TestHttpServer } from '../support/servers.js';
import { hostileValue } from './attacker-values.js';

// Generated hostile values through the other places templates reach: an SQL parameter, an HTTP
// URL and body, and a webhook message. Each must arrive byte for byte (no value can become SQL text or
// change the JSON around it).
const COUNT = 24;

let db: ScratchDatabase;
let server: TestHttpServer;
beforeAll(async () => {
  db = await scratchDatabase('values_in_transit');
  server = await startHttpServer({ '/echo': () => ({ body: 'ok' }), '/hook': () => ({ body: 'ok' }) });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

function playbook(count: number): string {
  const lines = ['title: Values in transit', 'params:'];
  for (let i = 0; i < count; i++) lines.push(`  p${i}: { required: true }`);
  lines.push('env:', '  URL: { required: true }', '  DATABASE_URL: { required: true, secret: true }', 'steps:');
  for (let i = 0; i < count; i++) {
    lines.push(
      `  - { id: sql${i}, name: "SQL ${i}", type: sql, query: "select $1::text as v", params: ["{{params.p${i}}}"] }`,
      `  - { name: "HTTP ${i}", type: http-check, url: "{{env.URL}}/echo?v={{params.p${i}}}#frag", method: POST, body: "<{{params.p${i}}}>" }`,
    );
  }
  lines.push(
    '  - name: Webhook',
    '    type: notify',
    '    message: "' + Array.from({ length: count }, (_, i) => `<{{params.p${i}}}>`).join('\\n') + '"',
    '    channels: { webhook: { url: "{{env.URL}}/hook" } }',
  );
  return `${lines.join('\n')}\n`;
}

describe('hostile values in SQL, HTTP and webhook templates', () => {
  const work = freshTempDir();

  it(`${COUNT} generated values arrive byte for byte in a real PostgreSQL, an HTTP URL and body, and a webhook`, async () => {
    // No NUL: a command line (--param) cannot carry one, nor can PostgreSQL text.
    const values = fc.sample(hostileValue('/nonexistent/canary').filter((value) => !value.includes('\0')), COUNT);
    writeFileSync(path.join(work.dir, 'transit.yaml'), playbook(COUNT));
    const params = values.flatMap((value, i) => ['--param', `p${i}=${value}`]);
    const result = await runCli(['--dir', work.dir, 'run', 'transit', '--json', ...params], {
      env: cliEnv(work.dir, { URL: server.url, DATABASE_URL: db.url }),
    });
    const doc = JSON.parse(result.stdout) as { steps: { id?: string; status: string; output: { value?: unknown } }[] };
    values.forEach((value, i) => {
      expect(doc.steps.find((step) => step.id === `sql${i}`)!.output.value).toBe(value);
    });
    const echoed = server.to('/echo');
    expect(echoed.map((request) => request.body)).toEqual(values.map((value) => `<${value}>`));
    // In the URL a value is one percent-encoded component: it stays inside its query parameter.
    expect(echoed.map((request) => decodeURIComponent(request.path.split('?v=')[1]!))).toEqual(values);
    const hook = JSON.parse(server.to('/hook')[0]!.body) as { message: string };
    expect(hook.message).toBe(values.map((value) => `<${value}>`).join('\n'));
    expect(result.code).toBe(0);
  });
});
