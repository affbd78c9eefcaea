import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';
import { startHttpServer, type TestHttpServer } from '../support/servers.js';

const DIR = path.join(FIXTURES, 'notify');

let slack: TestHttpServer;
let state: ReturnType<typeof tempDir>;
let slackStatus = 200;

beforeAll(async () => {
  slack = await startHttpServer({ '/hook': () => ({ status: slackStatus, body: slackStatus === 200 ? 'ok' : 'no_service' }) });
});
afterAll(() => slack.close());
beforeEach(() => {
  state = tempDir();
  slack.requests.length = 0;
  slackStatus = 200;
});
afterEach(() => state.remove());

/** One hourly run with swap at `swap`%; returns the exit code and the notify step's record. */
async function hourly(playbook: string, swap: number, vars: string[] = []) {
  const args = ['--dir', DIR, 'run', playbook, '--json', '--metric', `swap.used_percent=${swap}`, ...vars.flatMap((v) => ['--var', v])];
  const result = await runCli(args, { env: cliEnv(state.dir, { SLACK_WEBHOOK: `${slack.url}/hook` }) });
  expect(result.stderr).toBe('');
  const page = JSON.parse(result.stdout).steps.find((step: { id: string }) => step.id === 'page');
  return { code: result.code, page };
}

const titles = () => slack.requests.map((request) => JSON.parse(request.body).blocks[0].text.text as string);

describe('notify on_change', () => {
  it('over OK, WARN, WARN, CRITICAL, OK sends nothing, one, nothing, one, and one recovery', async () => {
    const runs = [];
    for (const swap of [5, 25, 30, 85, 3]) runs.push(await hourly('hourly', swap));

    expect(runs.map((run) => run.code)).toEqual([0, 1, 1, 2, 0]);
    expect(runs.map((run) => run.page.status)).toEqual(['skipped', 'ok', 'skipped', 'ok', 'ok']);
    expect(runs[0]!.page.output.not_sent_because).toBe('no alerts, as in the last run (on_change)');
    expect(runs[2]!.page.output.not_sent_because).toMatch(/^same alerts as the last run \(swap:warn\), sent at \S+; reminder 6h after that \(on_change\)$/);
    expect(runs.map((run) => run.page.output.reason ?? null)).toEqual([null, 'changed', null, 'changed', 'recovered']);

    expect(titles()).toHaveLength(3);
    expect(titles()[0]).toMatch(/^WARNING: Hourly Alerts on \S+$/);
    expect(titles()[1]).toMatch(/^CRITICAL: Hourly Alerts on \S+$/);
    expect(titles()[2]).toMatch(/^OK: Hourly Alerts on \S+ \(recovered\)$/);
    const bodies = slack.requests.map((request) => JSON.parse(request.body));
    expect(bodies[0].blocks[1].text.text).toBe('• WARNING swap: swap used 25% above 20% (simulated)');
    expect(bodies[1].blocks[1].text.text).toBe('• CRITICAL swap: swap used 85% above 80% (simulated)');
    expect(bodies[2].blocks[1].text.text).toBe('• Recovered: no alerts now.');
    expect(bodies[2].blocks[2].text.text).toBe('```Swap: 3%```');
  });

  it('sends the same alerts again once `repeat` has passed, as a reminder', async () => {
    await hourly('hourly', 25);
    const quiet = await hourly('hourly', 26);
    expect(quiet.page.status).toBe('skipped');
    const reminder = await hourly('hourly', 27, ['repeat=1ms']);
    expect(reminder.page.status).toBe('ok');
    expect(reminder.page.output.reason).toBe('reminder');
    expect(titles()).toHaveLength(2);
    expect(titles()[1]).toMatch(/^WARNING: Hourly Alerts on \S+ \(reminder\)$/);
  });

  it('sends again a change whose message could not be delivered', async () => {
    slackStatus = 500;
    const failed = await hourly('hourly', 25);
    expect(failed.code).toBe(1);
    expect(failed.page.status).toBe('warn');
    expect(failed.page.output.channels.slack).toBe('failed: after 2 attempts: HTTP 500: no_service');
    slackStatus = 200;
    const retried = await hourly('hourly', 25);
    expect(retried.page.status).toBe('ok');
    expect(retried.page.output.reason).toBe('changed');
    expect(titles()).toHaveLength(3); // two failed attempts, then the retried change
    expect(titles().every((title) => title.startsWith('WARNING: '))).toBe(true);
  });

  it('a channel that failed is sent again even though another channel delivered the same alerts', async () => {
    slackStatus = 500;
    const failed = await hourly('hourly-two-channels', 25);
    expect(failed.page.output.channels).toEqual({ slack: 'failed: after 2 attempts: HTTP 500: no_service', stdout: 'sent' });
    slackStatus = 200;
    const retried = await hourly('hourly-two-channels', 25);
    expect(retried.page.output.channels).toEqual({ slack: 'sent' });
    const quiet = await hourly('hourly-two-channels', 26);
    expect(quiet.page.status).toBe('skipped');
    expect(titles()).toHaveLength(3); // two failed attempts, then the page that was owed
  });

  it('with `when: on-alert` pages again for a new incident after an OK run it did not see', async () => {
    const runs = [];
    for (const swap of [25, 30, 5, 25]) runs.push(await hourly('on-alert', swap));
    expect(runs.map((run) => run.page.status)).toEqual(['ok', 'skipped', 'skipped', 'ok']);
    expect(runs[2]!.page.output).toEqual({});
    expect(titles()).toHaveLength(2);
  });
});
