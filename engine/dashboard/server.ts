import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../errors.js';
import { checkAccess, hostAllowed } from './access.js';
import { asset } from './assets.js';
import { FORMAT, type DashboardData } from './data.js';
import { StatusEvents } from './events.js';
import { gcWhenIdle } from './heap.js';

/**
 * The page may load only its own files and talk only to its own server: no inline script or
 * style, no framing, no other origin, so an output that slipped past escaping still could not run.
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const READ_METHODS = new Set(['GET', 'HEAD']);
const MAX_LIMIT = 1000;
/** Requests come in bursts (a page load, a look at a run): the garbage is collected after one. */
const IDLE_GC_MS = 3000;

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function json(res: ServerResponse, status: number, doc: unknown): void {
  send(res, status, `${JSON.stringify(doc)}\n`, 'application/json; charset=utf-8');
}

function limitOf(url: URL, fallback: number): number {
  const limit = Number(url.searchParams.get('limit'));
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : fallback;
}

type Route = (url: URL, res: ServerResponse) => Promise<void>;

function routes(data: DashboardData, events: StatusEvents): Record<string, Route> {
  const playbookParam = (url: URL) => url.searchParams.get('playbook') ?? '';
  return {
    '/healthz': async (_url, res) => json(res, 200, { ok: true }),
    '/api/status': async (_url, res) => json(res, 200, await data.status()),
    '/api/runs': async (url, res) => json(res, 200, await data.runs({ playbook: playbookParam(url) || undefined, limit: limitOf(url, 50) })),
    '/api/readings': async (url, res) => json(res, 200, await data.readings(playbookParam(url), limitOf(url, 168))),
    '/api/checklist': async (url, res) => {
      const doc = await data.checklist(playbookParam(url));
      json(res, doc ? 200 : 404, doc ?? { format: FORMAT, error: `no valid playbook ${playbookParam(url)}` });
    },
    '/api/fleet': async (_url, res) => {
      const doc = await data.fleet();
      json(res, doc ? 200 : 404, doc ?? { format: FORMAT, error: 'not a fleet host: RUNBOOK_FLEET_URL is not set' });
    },
    '/api/events': async (_url, res) => events.add(res),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: { token?: string; table: Record<string, Route>; data: DashboardData }): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  if (!hostAllowed(req, opts.token)) return send(res, 421, 'this dashboard answers only to 127.0.0.1 or localhost\n', 'text/plain; charset=utf-8');
  const access = checkAccess(req, url, opts.token);
  if ('redirect' in access) return send(res, 303, '', 'text/plain', { Location: access.redirect, 'Set-Cookie': access.cookie });
  if (!access.allow) return send(res, 401, 'a token is needed: Authorization: Bearer TOKEN, or open the page once with ?token=TOKEN\n', 'text/plain; charset=utf-8', { 'WWW-Authenticate': 'Bearer' });
  // Read-only: nothing here changes the machine, whatever is asked.
  if (!READ_METHODS.has(req.method ?? '')) return send(res, 405, 'the dashboard is read-only\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
  const route = opts.table[url.pathname];
  if (route) return route(url, res);
  const runId = /^\/api\/runs\/([\w.-]+)$/.exec(url.pathname)?.[1];
  if (runId) {
    const doc = await opts.data.run(runId);
    return json(res, doc ? 200 : 404, doc ?? { format: FORMAT, error: `no recorded run ${runId}` });
  }
  const file = await asset(url.pathname);
  if (file) return send(res, 200, file.body, file.type);
  send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/** Starts the dashboard's HTTP server; resolves once it listens. */
export async function startDashboard(opts: { host: string; port: number; token?: string; data: DashboardData; intervalMs: number; onClose?: () => void }): Promise<Dashboard> {
  const events = new StatusEvents({ intervalMs: opts.intervalMs, read: () => opts.data.status() });
  const table = routes(opts.data, events);
  const settle = gcWhenIdle(IDLE_GC_MS);
  const server = createServer((req, res) => {
    settle();
    handle(req, res, { token: opts.token, table, data: opts.data }).catch((error) => {
      if (!res.headersSent) json(res, 500, { format: FORMAT, error: errorMessage(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      events.close();
      server.close(() => resolve());
      server.closeAllConnections();
      opts.onClose?.();
    }),
  };
}
