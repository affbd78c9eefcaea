import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'schedule');
let state: ReturnType<typeof tempDir>;
let server: Server;
let paths: string[];
let answer: (req: IncomingMessage, res: ServerResponse) => void;

beforeEach(async () => {
  state = tempDir();
  paths = [];
  answer = (_, res) => res.end('OK');
  server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  state.remove();
});

const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping/3f9c`;
const run = (extra: string[], env: Record<string, string> = { HC_URL: url() }) =>
  runCli(['--dir', DIR, 'run', 'heartbeat', ...extra], { env: cliEnv(state.dir, env) });

describe('heartbeat', () => {
  it('pings URL/start when the run starts and URL when it ends OK', async () => {
    const result = await run([]);
    expect(result.code).toBe(0);
    expect(paths).toEqual(['GET /ping/3f9c/start', 'GET /ping/3f9c']);
  });

  it('sends user:password@ as a Basic Authorization header, and never names it in a note', async () => {
    const auth: string[] = [];
    answer = (req, res) => {
      auth.push(req.headers.authorization ?? '');
      res.end('OK');
    };
    const withCredentials = url().replace('http://', 'http://hc:hunter2pw@');
    const result = await run([], { HC_URL: withCredentials });
    expect(paths).toEqual(['GET /ping/3f9c/start', 'GET /ping/3f9c']);
    expect(auth).toEqual([`Basic ${Buffer.from('hc:hunter2pw').toString('base64')}`, `Basic ${Buffer.from('hc:hunter2pw').toString('base64')}`]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const down = await run([], { HC_URL: withCredentials });
    expect(down.stdout).toContain('note: heartbeat ping /start failed');
    expect(down.stdout + down.stderr).not.toContain('hunter2pw');
    expect(result.code).toBe(0);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('counts a WARNING run as done (the alert travels by notify), a CRITICAL one as failed', async () => {
    expect((await run(['--var', 'load=7'])).code).toBe(1);
    expect((await run(['--var', 'load=20'])).code).toBe(2);
    expect(paths).toEqual(['GET /ping/3f9c/start', 'GET /ping/3f9c', 'GET /ping/3f9c/start', 'GET /ping/3f9c/fail']);
  });

  it('does nothing when the URL renders empty (optional env unset)', async () => {
    const result = await run([], {});
    expect(result.code).toBe(0);
    expect(paths).toEqual([]);
    expect(result.stdout).not.toMatch(/^note:/m);
  });

  it('never fails the run: an unreachable or failing endpoint is a note, without the secret URL', async () => {
    answer = (_, res) => {
      res.statusCode = 500;
      res.end();
    };
    const failing = await run([]);
    expect(failing.code).toBe(0);
    expect(failing.stdout).toMatch(/^note: heartbeat ping \/start failed: HTTP 500$/m);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await run([], { HC_URL: `http://127.0.0.1:${port}/ping/3f9c` });
    expect(unreachable.code).toBe(0);
    expect(unreachable.stdout).toMatch(/^note: heartbeat ping \(success\) failed: ECONNREFUSED$/m);
    expect(unreachable.stdout).not.toContain('3f9c');
  });

  it('gives up on an endpoint that does not answer after a short timeout, and the run goes on', async () => {
    answer = (req, res) => {
      if (!req.url!.endsWith('/start')) res.end('OK');
    };
    const result = await run([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^note: heartbeat ping \/start failed: no answer within 5s$/m);
    expect(paths).toEqual(['GET /ping/3f9c/start', 'GET /ping/3f9c']);
  });
});
