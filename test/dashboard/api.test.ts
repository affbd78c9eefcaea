import { cpSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { BOOKS, dashboardEnv, runFixture, SECRET, startDashboard, writeRawRecord, type RunningDashboard } from './dashboard-cli.js';

const state = tempDir('runbook-dash-api-');
const pm2Home = tempDir('runbook-dash-nopm2-'); // no daemon: the page says so, and nothing starts one
const env = dashboardEnv(state.dir, { PM2_HOME: pm2Home.dir });
let dashboard: RunningDashboard;
let runId: string;

beforeAll(async () => {
  writeRawRecord(state.dir, { playbook: 'old-check', run_id: '20200101-000000-aaaaaa', started_at: '2020-01-01T00:00:00.000Z', output: `leaked ${SECRET} and postgres://app:hunter22@db/app` });
  // Its last run was long ago: every 06:00 since is missed.
  writeRawRecord(state.dir, { playbook: 'daily-report', run_id: '20200102-060000-bbbbbb', started_at: '2020-01-02T06:00:00.000Z', output: 'report written' });
  const run = await runFixture('hourly-check', env, ['--json', '--metric', 'load.1=60']);
  runId = JSON.parse(run.stdout).run_id;
  dashboard = await startDashboard([], env);
});

afterAll(async () => {
  await dashboard?.stop();
  state.remove();
  pm2Home.remove();
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, dashboard.url), init);

describe('the dashboard API', () => {
  it('answers /healthz, and every document carries its format', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ ok: true });
    const status = await (await get('/api/status')).json();
    expect(status.format).toBe(1);
    expect(status.box.load.cores).toBeGreaterThan(0);
    expect(status.pm2).toMatchObject({ state: 'absent', processes: [] });
    const check = status.playbooks.find((p: { playbook: string }) => p.playbook === 'hourly-check');
    expect(check).toMatchObject({ last_run: { run_id: runId, status: 'WARNING' }, schedule: { cron: '0 * * * *' }, attention: null });
    expect(check.next_run).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
    const daily = status.playbooks.find((p: { playbook: string }) => p.playbook === 'daily-report');
    expect(daily).toMatchObject({ attention: 'missed', last_run: { run_id: '20200102-060000-bbbbbb' } });
    expect(daily.missed).toMatch(/^\d{4}-\d\d-\d\dT06:00:00\.000Z$/);
  });

  it('lists runs newest first, shows one run, and a playbook\'s readings', async () => {
    const { format, runs } = await (await get('/api/runs')).json();
    expect(format).toBe(1);
    expect(runs.map((run: { run_id: string }) => run.run_id)).toEqual([runId, '20200102-060000-bbbbbb', '20200101-000000-aaaaaa']);
    const one = await (await get(`/api/runs/${runId}`)).json();
    expect(one.run.steps.map((step: { id: string }) => step.id)).toEqual(['load', 'greeting', 'token']);
    expect((await get('/api/runs/20991231-000000-ffffff')).status).toBe(404);
    const readings = await (await get('/api/readings?playbook=hourly-check')).json();
    expect(readings.series).toContainEqual({ key: 'load', name: 'Load' });
    expect(readings.points.at(-1).values.load).toBe(60);
  });

  it('serves the checklist `render` prints', async () => {
    const { markdown } = await (await get('/api/checklist?playbook=hourly-check')).json();
    expect(markdown).toContain('# Hourly check');
    expect((await get('/api/checklist?playbook=nope')).status).toBe(404);
  });

  it('masks declared secrets and URL passwords everywhere, even in a record written unmasked', async () => {
    const old = await (await get('/api/runs/20200101-000000-aaaaaa')).text();
    expect(old).toContain('leaked ***');
    expect(old).toContain('postgres://app:***@db/app');
    for (const path of ['/api/status', '/api/runs', `/api/runs/${runId}`, '/api/readings?playbook=hourly-check', '/api/checklist?playbook=hourly-check']) {
      const text = await (await get(path)).text();
      expect(text, path).not.toContain(SECRET);
      expect(text, path).not.toContain('hunter22');
    }
  });

  it('is read-only: writes get 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await get('/api/status', { method, body: method === 'DELETE' ? undefined : '{}' });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('sends a strict Content-Security-Policy and answers only to loopback names', async () => {
    const page = await get('/');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    // A page elsewhere that pointed its own name at 127.0.0.1 (fetch will not send another Host).
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      request(new URL('/healthz', dashboard.url), { headers: { Host: 'attacker.example' } }, (res) => resolve(res.resume().statusCode)).on('error', reject).end();
    });
    expect(rebound).toBe(421);
  });
});

describe('starting and stopping', () => {
  it('refuses --host 0.0.0.0 without a token, naming the variable; does nothing', async () => {
    await expect(startDashboard(['--host', '0.0.0.0'], env)).rejects.toThrow(/exited 3 .*RUNBOOK_DASHBOARD_TOKEN/s);
  });

  it('sees a playbook added or broken while it runs', async () => {
    const books = tempDir('runbook-dash-books-');
    const other = await startDashboard([], env, books.dir);
    try {
      const names = async () => {
        const status = await (await fetch(new URL('/api/status', other.url))).json();
        return { valid: status.playbooks.map((p: { playbook: string }) => p.playbook), invalid: status.invalid.map((p: { name: string }) => p.name) };
      };
      expect(await names()).toEqual({ valid: [], invalid: [] });
      cpSync(path.join(BOOKS, 'by-hand.yaml'), path.join(books.dir, 'by-hand.yaml'));
      writeFileSync(path.join(books.dir, 'broken.yaml'), 'title: Broken\nsteps:\n  - type: nope\n');
      expect(await names()).toEqual({ valid: ['by-hand'], invalid: ['broken'] });
    } finally {
      await other.stop();
      books.remove();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const other = await startDashboard([], env);
    const result = await other.stop();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stopped (SIGTERM)');
  });
});

describe('with a token', () => {
  const token = 'a-long-random-dashboard-token';
  let guarded: RunningDashboard;
  beforeAll(async () => {
    guarded = await startDashboard(['--host', '0.0.0.0'], { ...env, RUNBOOK_DASHBOARD_TOKEN: token });
  });
  afterAll(() => guarded?.stop());
  const at = (path: string, init?: RequestInit) => fetch(new URL(path, guarded.url.replace('0.0.0.0', '127.0.0.1')), { redirect: 'manual', ...init });

  it('answers 401 to every request without it, whatever the route', async () => {
    for (const path of ['/', '/healthz', '/api/status', '/assets/app.js', '/nope']) expect((await at(path)).status, path).toBe(401);
    expect((await at('/api/status', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await at('/api/status', { method: 'POST' })).status).toBe(401);
  });

  it('accepts it as a Bearer header, or as the cookie a visit with ?token= sets', async () => {
    expect((await at('/api/status', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const visit = await at(`/?token=${token}`);
    expect(visit.status).toBe(303);
    expect(visit.headers.get('location')).toBe('/');
    const cookie = visit.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await at('/api/status', { headers: { Cookie: cookie.split(';')[0]! } })).status).toBe(200);
    expect((await at('/api/status', { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })).status).toBe(405);
  });

  it('never shows the token', async () => {
    const text = await (await at('/api/status', { headers: { Authorization: `Bearer ${token}` } })).text();
    expect(text).not.toContain(token);
  });
});
