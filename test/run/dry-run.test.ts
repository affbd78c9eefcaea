import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';
import { startHttpServer, type TestHttpServer } from '../support/servers.js';
import { scratchDatabase } from '../fixtures/sql/scratch-database.js';

const state = freshTempDir();
const pm2Home = freshTempDir();
let api: TestHttpServer;
beforeAll(async () => {
  api = await startHttpServer({ '/version': () => ({ body: { version: '2' } }), '/deploy': () => ({ body: 'deployed' }) });
});
afterAll(() => api.close());

describe('dry run', () => {
  it('a swap drill of hourly-alerts takes the emergency and dry-runs it, records nothing, leaves no blanks', async () => {
    const result = await runCli(['run', 'hourly-alerts', '--dry-run', '--metric', 'swap.used_percent=85', '--metric', 'load.1=0'], { env: cliEnv(state.dir, { PM2_HOME: pm2Home.dir }) });
    const lines = result.stdout.split('\n');
    expect(lines).toContain('1. Swap usage: ran: CRITICAL - swap used 85% above 80% (simulated)');
    expect(result.stdout).toMatch(/\n\d+\. Emergency: swap thrashing \[when on-alert, if true\]: ran: CRITICAL - emergency\/swap-thrash CRITICAL: swap used 85% above 80% \(simulated\)/);
    expect(lines).toContain('   dry run of emergency/swap-thrash: Emergency: swap thrashing (swap above 80%) (steps without side effects run; the others are only described; nothing is changed)');
    expect(result.stdout).toMatch(/\n {3}\d\. Clear swap \(swapoff -a && swapon -a\) \[[^\]]*needs approval[^\]]*\]: would run `swapoff -a && swapon -a`/);
    expect(result.stdout).toMatch(/\d+\. Emergency: load spike \[when on-alert, if false\]: skipped \(if false\); it would run playbook `emergency\/load-spike`/);
    expect(result.stdout).toContain('email to <not set: ALERT_EMAIL>');
    expect(result.stdout).not.toMatch(/ ,|\{\{|=(\s|$)/m);
    // Inputs a description cannot show (a Slack webhook is never printed) are named when unset.
    expect(result.stdout).toMatch(/Alert the operators \[when always\]: would send the alerts to Slack, .*\(not set: SLACK_WEBHOOK, SMTP_URL\)/);
    // An empty result reads as such: no PM2 daemon, so no crash-loop culprit.
    expect(result.stdout).toContain('with process=<empty: steps.pm2.output.crash_loop_culprit>');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(state.dir).filter((name) => name !== 'no-env-file')).toEqual([]);
  });

  it('read-only steps really run and later templates see their results; steps with side effects are described', async () => {
    const marker = '/tmp/never-written';
    const result = await runCli(['--dir', path.join(FIXTURES, 'dry-run'), 'run', 'probe', '--dry-run'], { env: cliEnv(state.dir, { API_URL: api.url }) });
    expect(result.stdout).toContain('1. Version endpoint: ran: OK - 200');
    expect(result.stdout).toContain(`2. Note the version [if true]: would run \`echo "version 2" >> ${marker}\``);
    expect(result.stdout).toContain('3. The note says v2: would alert if it is above 0 (not run: it reads steps.record, which a dry run only describes)');
    expect(result.stdout).toContain(`4. Ping the deploy hook: would POST ${api.url}/deploy, expect 2xx`);
    expect(result.stdout).toContain('5. Tell someone: would send the alerts to email to <not set: ALERT_EMAIL>');
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /version']);
    const plan = JSON.parse((await runCli(['--dir', path.join(FIXTURES, 'dry-run'), 'run', 'probe', '--dry-run', '--json'], { env: cliEnv(state.dir, { API_URL: api.url }) })).stdout);
    expect(plan.steps.map((step: { status: string }) => step.status)).toEqual(['ok', 'described', 'described', 'described', 'described']);
  });

  it('a read-only query really runs and an assertion judges its value; a query that writes is described', async () => {
    const db = await scratchDatabase('dry_run');
    try {
      await db.query("CREATE TABLE jobs (id int PRIMARY KEY, state text); INSERT INTO jobs VALUES (1, 'queued'), (2, 'queued'), (3, 'done')");
      const result = await runCli(['--dir', path.join(FIXTURES, 'dry-run'), 'run', 'db', '--dry-run'], { env: cliEnv(state.dir, { DATABASE_URL: db.url }) });
      expect(result.stdout).toContain('1. Queued jobs: ran: OK - 2');
      expect(result.stdout).toContain('2. Queue length: ran: WARNING - Queue length 2 above 1');
      expect(result.stdout).toMatch(/3\. Clear the queue \[when on-alert\]: would run SQL `UPDATE jobs SET state = 'dropped' WHERE state = 'queued'`/);
      expect(await db.query("SELECT count(*)::int AS queued FROM jobs WHERE state = 'queued'")).toEqual([{ queued: 2 }]);
    } finally {
      await db.drop();
    }
  });
});
