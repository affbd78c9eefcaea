import path from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';
import { freePort, startHttpServer, type TestHttpServer } from '../support/servers.js';

const DIR = path.join(FIXTURES, 'http');

let server: TestHttpServer;
let state: ReturnType<typeof tempDir>;

beforeAll(async () => {
  let created = 0;
  server = await startHttpServer({
    '/health': () => ({ body: { ok: true, version: '1.2.3' } }),
    '/down': () => ({ body: { ok: false } }),
    '/fail': () => ({ status: 500, body: 'database unreachable\nstack trace...' }),
    '/html': () => ({ body: '<html>maintenance</html>', headers: { 'Content-Type': 'text/html' } }),
    '/hang': () => 'hang',
    '/slow': () => ({ body: 'done', delayMs: 300 }),
    '/echo': (request) => ({ status: 201, body: { created: true, data: { ...JSON.parse(request.body), tags: ['a', 'b'], id: ++created } } }),
  });
});
afterAll(() => server.close());
beforeEach(() => {
  state = tempDir();
  server.requests.length = 0;
});
afterEach(() => state.remove());

function run(name: string, args: string[] = [], env: Record<string, string> = {}) {
  return runCli(['--dir', DIR, 'run', name, '--json', ...args], { env: cliEnv(state.dir, env) });
}

function stepOf(stdout: string, id: string) {
  return JSON.parse(stdout).steps.find((step: { id: string }) => step.id === id);
}

describe('http-check', () => {
  it('passes on {"ok":true} and gives status, body, json and latency_ms to later steps', async () => {
    const result = await run('check', ['--var', `url=${server.url}/health`]);
    expect(result.code).toBe(0);
    const step = stepOf(result.stdout, 'health');
    expect(step.status).toBe('ok');
    expect(step.value).toBe(200);
    expect(step.output).toMatchObject({ status: 200, json: { ok: true, version: '1.2.3' }, truncated: false });
    expect(JSON.parse(step.output.body)).toEqual({ ok: true, version: '1.2.3' });
    expect(typeof step.output.latency_ms).toBe('number');
    expect(server.to('/health')).toHaveLength(1);
  });

  it('retries a 500 as the step asks (3 requests), then fails CRITICAL with a one-line message', async () => {
    const result = await run('check', ['--var', `url=${server.url}/fail`]);
    expect(result.code).toBe(2);
    expect(server.to('/fail')).toHaveLength(3);
    const doc = JSON.parse(result.stdout);
    expect(doc.status).toBe('CRITICAL');
    const step = stepOf(result.stdout, 'health');
    expect(step.status).toBe('failed');
    expect(step.error).toBe(`GET ${server.url}/fail answered 500 Internal Server Error, expected 2xx: database unreachable`);
    expect(step.output.status).toBe(500);
  });

  it('shows the retries in the plain output', async () => {
    const result = await runCli(['--dir', DIR, 'run', 'check', '--var', `url=${server.url}/fail`], { env: cliEnv(state.dir) });
    expect(result.stdout).toContain('attempt 1 of 3 failed: GET');
    expect(result.stdout).toMatch(/\[FAILED\] API health: GET .*\/fail answered 500 .*3 attempts\)/);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^CHECK CRITICAL - API health: GET .* answered 500/);
  });

  it('fails when the JSON does not match, naming the difference', async () => {
    const result = await run('check', ['--var', `url=${server.url}/down`]);
    expect(result.code).toBe(2);
    expect(stepOf(result.stdout, 'health').error).toBe(`GET ${server.url}/down answered 200 OK with unexpected JSON: at json.ok expected true, got false`);
  });

  it('says so when JSON was expected and the body is not JSON', async () => {
    const result = await run('check', ['--var', `url=${server.url}/html`]);
    expect(result.code).toBe(2);
    expect(stepOf(result.stdout, 'health').error).toBe(`GET ${server.url}/html answered 200 OK with a body that is not JSON (text/html): <html>maintenance</html>`);
  });

  it('names a refused connection', async () => {
    const port = await freePort();
    const result = await run('check', ['--var', `url=http://127.0.0.1:${port}/health`]);
    expect(result.code).toBe(2);
    expect(stepOf(result.stdout, 'health').error).toBe(`GET http://127.0.0.1:${port}/health: connection refused: nothing listens on 127.0.0.1:${port}`);
  });

  it('names a DNS failure', async () => {
    // A 70-character label cannot be put in a DNS query: the lookup fails here, with no traffic.
    const host = `${'a'.repeat(70)}.example`;
    const result = await run('check', ['--var', `url=http://${host}/health`]);
    expect(result.code).toBe(2);
    expect(stepOf(result.stdout, 'health').error).toBe(`GET http://${host}/health: DNS lookup failed: no address for ${host}`);
  });

  it('names a TLS error (https to a plain HTTP server)', async () => {
    const url = server.url.replace('http:', 'https:');
    const result = await run('check', ['--var', `url=${url}/health`]);
    expect(result.code).toBe(2);
    expect(stepOf(result.stdout, 'health').error).toBe(`GET ${url}/health: TLS error: wrong version number`);
  });

  it('stops a request that never answers at the step timeout; later `always` steps still run', async () => {
    const result = await run('hang', ['--var', `url=${server.url}/hang`]);
    expect(result.code).toBe(2);
    const step = stepOf(result.stdout, 'health');
    expect(step.status).toBe('failed');
    expect(step.error).toMatch(/^timed out after 500ms/);
    expect(stepOf(result.stdout, 'after').status).toBe('ok');
  });

  it('sends method, headers and a JSON body; matches status lists, text and nested JSON; keeps the token secret', async () => {
    const token = 'tok-7f3a9c1e55';
    const result = await run('post', ['--var', `base=${server.url}`], { API_TOKEN: token });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [request] = server.to('/echo');
    expect(request!.method).toBe('POST');
    expect(request!.headers.authorization).toBe(`Bearer ${token}`);
    expect(request!.headers['x-probe']).toBe('runbook');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ probe: true, from: 'post' });
    expect(stepOf(result.stdout, 'create').status).toBe('ok');
    expect(stepOf(result.stdout, 'created').value).toBe(1);
    expect(result.stdout).not.toContain(token);
  });

  it('makes a slow answer warn, or critical past the critical limit, without failing the step', async () => {
    const warn = await run('latency', ['--var', `url=${server.url}/slow`]);
    expect(warn.code).toBe(1);
    const step = stepOf(warn.stdout, 'slow');
    expect(step.status).toBe('warn');
    expect(JSON.parse(warn.stdout).alerts[0].message).toMatch(new RegExp(`^GET ${server.url}/slow took \\S+, above 100ms$`));

    const critical = await run('latency', ['--var', `url=${server.url}/slow`, '--var', 'critical=200ms']);
    expect(critical.code).toBe(2);
    expect(stepOf(critical.stdout, 'slow').status).toBe('critical');
    expect(stepOf(critical.stdout, 'slow').output.body).toBe('done');
  });

  it('refuses mistakes at validation, every one at once, at FILE:LINE:COL', async () => {
    const file = path.join(DIR, 'invalid', 'bad-check.yaml');
    const result = await runCli(['validate', file], { env: cliEnv(state.dir) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:6:10: \`url\` must start with http:// or https://`);
    expect(result.stderr).toContain(`${file}:7:11: a GET request cannot have a body: set \`method: POST\` (or PUT, PATCH)`);
    expect(result.stderr).toContain(`${file}:8:22: \`latency.warn\` must be a duration such as 500ms or 2s; got "2 seconds"`);
    expect(result.stderr).toContain(`${file}:9:23: \`expect.status\` must be a status code such as 200, a class such as "2xx", or a list of them; got 2000`);
  });
});
