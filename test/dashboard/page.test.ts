import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';
import { usePm2Sandbox } from '../steps/pm2-sandbox.js';
import { CHROMIUM, dashboardEnv, runFixture, SECRET, startDashboard, writeRawRecord, writeRawRuns, type RunningDashboard } from './dashboard-cli.js';

const sandbox = usePm2Sandbox(async (pm2) => {
  await pm2.start('ecosystem.config.cjs');
  await pm2.start('crash.config.cjs');
});
const state = tempDir('runbook-dash-page-');
let env: Record<string, string | undefined>;
let dashboard: RunningDashboard;
let browser: Browser;
let page: Page;
const runIds: string[] = [];
const problems: string[] = [];
const dialogs: string[] = [];

async function run(name: string, args: string[] = []): Promise<string> {
  const result = await runFixture(name, env, ['--json', ...args]);
  const id = JSON.parse(result.stdout).run_id as string;
  runIds.push(id);
  return id;
}

beforeAll(async () => {
  env = dashboardEnv(state.dir, { PM2_HOME: sandbox.home });
  writeRawRecord(state.dir, { playbook: 'daily-report', run_id: '20200102-060000-bbbbbb', started_at: '2020-01-02T06:00:00.000Z', output: 'report written' });
  writeRawRecord(state.dir, { playbook: 'old-check', run_id: '20200101-000000-aaaaaa', started_at: '2020-01-01T00:00:00.000Z', output: `leaked ${SECRET}` });
  for (const load of ['0.4', '2.5', '1.2', '60']) await run('hourly-check', ['--metric', `load.1=${load}`]);
  dashboard = await startDashboard(['--interval', '1s'], env);
  browser = await chromium.launch(CHROMIUM);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(dashboard.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  state.remove();
});

describe('the dashboard page in Chromium', () => {
  it('shows the PM2 processes of the daemon, with the crash loop standing out', async () => {
    for (const name of ['stable', 'errors-timed', 'errors-plain', 'crash']) {
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    const crashRow = page.locator('tr', { has: page.getByRole('cell', { name: 'crash', exact: true }) });
    await crashRow.getByText('CRASH LOOP').waitFor({ timeout: 45_000 });
    expect(await crashRow.getAttribute('class')).toBe('bad');
  });

  it('shows the playbooks and the runs of the state dir, and a new run without a reload', async () => {
    const checkRow = page.locator('tr', { has: page.getByRole('link', { name: 'hourly-check', exact: true }) });
    await checkRow.getByRole('link', { name: 'WARNING' }).waitFor();
    await page.getByRole('link', { name: runIds.at(-1)!, exact: true }).waitFor();
    await page.getByRole('link', { name: '20200101-000000-aaaaaa' }).waitFor();
    const missedRow = page.locator('tr', { has: page.getByRole('link', { name: 'daily-report', exact: true }) });
    expect(await missedRow.locator('.badge', { hasText: /^MISSED \d{4}-\d\d-\d\d 06:00 UTC$/ }).count()).toBe(1);
    expect(await missedRow.getAttribute('class')).toBe('bad');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const fresh = await run('by-hand');
    await page.getByRole('link', { name: fresh, exact: true }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // the same page, not a reload
  });

  it('opens a run from the playbook row; a step output of <script> is shown as text', async () => {
    await page.goto(dashboard.url);
    const checkRow = page.locator('tr', { has: page.getByRole('link', { name: 'hourly-check', exact: true }) });
    await checkRow.getByRole('link', { name: 'WARNING' }).click();
    await page.getByRole('heading', { name: 'hourly-check: Hourly check' }).waitFor();
    const step = page.locator('tr', { hasText: 'Markup in output' });
    await step.locator('summary').click();
    expect(await step.locator('pre').textContent()).toBe('<script>alert(1)</script>');
    expect(await page.locator('script').count()).toBe(2); // uPlot and the page's own: the output added none
    expect(dialogs).toEqual([]);
  });

  it('draws the readings and shows the checklist', async () => {
    await page.goto(`${dashboard.url}#/playbook/hourly-check`);
    await page.getByText('Load (load)').waitFor();
    // uPlot draws its canvas after the legend is in the page: wait for it (a timeout fails the test).
    await page.locator('.chart canvas').first().waitFor();
    await page.getByRole('link', { name: 'checklist' }).click();
    await page.getByRole('heading', { name: 'Hourly check' }).waitFor();
    await page.getByText('Load: alert if 1-minute load average above 50').waitFor();
  });

  it('shows a declared secret nowhere, and breaks none of its own rules (CSP, scripts)', async () => {
    for (const hash of ['', `#/run/${runIds[0]}`, '#/run/20200101-000000-aaaaaa', '#/playbook/hourly-check', '#/checklist/hourly-check']) {
      await page.goto(`${dashboard.url}${hash}`);
      await page.locator('main section').first().waitFor();
      expect(await page.content(), hash).not.toContain(SECRET);
    }
    expect(problems).toEqual([]);
  });

  it('writes screenshots for the README when asked (UPDATE_SCREENSHOTS=1)', async () => {
    if (!process.env.UPDATE_SCREENSHOTS) return;
    // A week of hourly checks for the readings chart (made up: a slow swap leak, a daily load peak).
    const hour = 3_600_000;
    const start = Math.floor(Date.now() / hour) * hour - 168 * hour;
    writeRawRuns(state.dir, 'hourly-alerts', Array.from({ length: 168 }, (_, i) => {
      const at = new Date(start + i * hour);
      const swap = Math.round((4 + i * 0.12 + 3 * Math.sin(i / 5)) * 10) / 10;
      const load = Math.round((0.4 + (at.getUTCHours() === 3 ? 6 : 0) + Math.abs(Math.sin(i / 3))) * 100) / 100;
      return {
        run_id: `${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${String(i).padStart(6, '0')}`,
        started_at: at.toISOString(),
        status: swap > 20 || load > 6 ? 'WARNING' as const : 'OK' as const,
        readings: [
          { id: 'swap', name: 'Swap usage', value: swap },
          { id: 'load', name: 'Load average', value: load },
          { id: 'crashes', name: 'Process crashes since the last check', value: i % 41 === 0 ? 3 : 0 },
        ],
      };
    }));
    const docs = path.join(ROOT, 'docs');
    if (!existsSync(docs)) mkdirSync(docs);
    for (const colorScheme of ['light', 'dark'] as const) {
      const shot = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme });
      await shot.goto(dashboard.url);
      await shot.getByText('CRASH LOOP', { exact: true }).waitFor();
      await shot.screenshot({ path: path.join(docs, `dashboard-${colorScheme}.png`), fullPage: true });
      await shot.goto(`${dashboard.url}#/playbook/hourly-alerts`);
      await shot.locator('.chart canvas').first().waitFor();
      await shot.screenshot({ path: path.join(docs, `dashboard-playbook-${colorScheme}.png`) });
      await shot.close();
    }
  });
});
