import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';
import { freePort, parseMail, startHttpServer, startSmtpServer, type TestHttpServer, type TestSmtpServer } from '../support/servers.js';

const DIR = path.join(FIXTURES, 'notify');
const SMTP_PASSWORD = 'smtp-pw-9d2e41';
const WEBHOOK_TOKEN = 'hook-token-5c8f10';

let http: TestHttpServer;
let smtp: TestSmtpServer;
let state: ReturnType<typeof tempDir>;
let webhookStatus = 200;

beforeAll(async () => {
  http = await startHttpServer({
    '/services/T000/B000/slack-secret-path': () => ({ body: 'ok' }),
    '/hooks/alerts': () => ({ status: webhookStatus, body: webhookStatus === 200 ? 'thanks' : 'try later' }),
  });
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await http.close();
  await smtp.close();
});
beforeEach(() => {
  state = tempDir();
  http.requests.length = 0;
  smtp.messages.length = 0;
  smtp.logins.length = 0;
  webhookStatus = 200;
});
afterEach(() => state.remove());

const slackUrl = () => `${http.url}/services/T000/B000/slack-secret-path`;

function configured(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_WEBHOOK: slackUrl(),
    ALERT_EMAIL: 'ops@example.org, oncall@example.org',
    SMTP_URL: smtp.url('alerts', SMTP_PASSWORD),
    ALERT_WEBHOOK: `${http.url}/hooks/alerts`,
    WEBHOOK_TOKEN,
    ALERT_FILE: path.join(state.dir, 'alerts.log'),
    ...extra,
  };
}

function run(env: Record<string, string>, swap: number, flags: string[] = []) {
  const args = ['--dir', DIR, 'run', 'channels', '--metric', `swap.used_percent=${swap}`, '--var', `report=${path.join(state.dir, 'report.txt')}`, ...flags];
  return runCli(args, { env: cliEnv(state.dir, env) });
}

/** Every file the run left under the state directory, and the report, as one text. */
function everythingWritten(): string {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [readFileSync(full, 'utf8')];
  });
  return walk(state.dir).join('\n');
}

describe('notify', () => {
  it('delivers to Slack (Block Kit), email, a webhook, stdout and a file, with the alert and the values', async () => {
    const result = await run(configured(), 25);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1); // the swap warning; every channel delivered
    const title = /WARNING: Hourly Alerts on \S+/;

    const [slack] = http.to('/services/T000/B000/slack-secret-path');
    const payload = JSON.parse(slack!.body);
    expect(payload.text).toMatch(title);
    expect(payload.text).toContain('WARNING swap: swap used 25% above 20% (simulated)');
    expect(payload.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(payload.blocks[0].text.text).toMatch(title);
    expect(payload.blocks[1].text.text).toBe('• WARNING swap: swap used 25% above 20% (simulated)');
    expect(payload.blocks[2].text.text).toMatch(/^```Time: \d{4}-\d\d-\d\d \d\d:\d\d UTC\nSwap: 25% \(524288 KB\)\nRestarts: 15\n/);
    expect(payload.blocks[2].text.text).toContain('name        status   restarts\napi         online   3\naggregator  errored  12');

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail!.from).toBe('alerts@example.org');
    expect(mail!.to).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(mail!.subject).toMatch(title);
    expect(mail!.text).toContain('Alerts:\n  WARNING swap: swap used 25% above 20% (simulated)');
    expect(mail!.text).toContain('Swap: 25% (524288 KB)');
    expect(mail!.text).toContain('aggregator  errored  12');
    expect(smtp.logins).toEqual([{ username: 'alerts', password: SMTP_PASSWORD }]);

    const [hook] = http.to('/hooks/alerts');
    expect(hook!.headers.authorization).toBe(`Bearer ${WEBHOOK_TOKEN}`);
    const posted = JSON.parse(hook!.body);
    expect(posted).toMatchObject({ status: 'WARNING', reason: 'every-run', playbook: { name: 'channels', title: 'Hourly Alerts' } });
    expect(posted.alerts).toEqual([{ step: 'swap', level: 'warn', message: 'swap used 25% above 20% (simulated)' }]);
    expect(posted.steps.swap).toMatchObject({ status: 'warn', value: 25 });
    expect(posted.text).toContain('Swap: 25% (524288 KB)');

    expect(readFileSync(path.join(state.dir, 'alerts.log'), 'utf8')).toContain('WARNING swap: swap used 25% above 20% (simulated)');
    expect(result.stdout).toContain('    | Swap: 25% (524288 KB)');
    expect(result.stdout).toMatch(/\[OK\] Send the alert: sent by slack, email, webhook, stdout, file \(/);
  });

  it('never lets a secret out: not in output, records, report, nor in what the servers received', async () => {
    const result = await run(configured(), 85, ['--verbose']);
    expect(result.code).toBe(2);
    const received = [...http.requests.map((request) => request.body), ...smtp.messages.map((mail) => mail.raw)].join('\n');
    expect(received).toContain('Webhook token in use: ***');
    const everywhere = [result.stdout, result.stderr, everythingWritten(), received].join('\n');
    for (const secret of [WEBHOOK_TOKEN, SMTP_PASSWORD, 'slack-secret-path']) expect(everywhere).not.toContain(secret);
    expect(readFileSync(path.join(state.dir, 'report.txt'), 'utf8')).toContain('Send the alert: OK - sent by slack, email, webhook, stdout, file');
  });

  it('skips a channel whose settings are empty and says so; nothing configured is not an error', async () => {
    const result = await run({}, 5);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('    | slack: skipped: no webhook URL set');
    expect(result.stdout).toContain('    | email: skipped: no recipients: `to` is empty');
    expect(result.stdout).toContain('    | webhook: skipped: no URL set');
    expect(result.stdout).toContain('    | file: skipped: no path set');
    expect(result.stdout).toContain('[OK] Send the alert: sent by stdout; skipped slack (no webhook URL set), email (no recipients: `to` is empty), webhook (no URL set), file (no path set) (');
    expect(http.requests).toHaveLength(0);
  });

  it('a half-configured channel is a WARNING naming what is missing, on quiet runs too', async () => {
    const noTransport = await run({ ALERT_EMAIL: 'ops@example.org', SMTP_URL: '', SENDMAIL: '' }, 5);
    expect(noTransport.stdout).toContain('    ! email: not usable: recipients set, but no SMTP URL (`smtp` is empty) and sendmail not enabled');
    expect(noTransport.stdout).toContain('[WARN] Send the alert: email not usable: recipients set, but no SMTP URL (`smtp` is empty) and sendmail not enabled; sent by stdout');
    expect(noTransport.code).toBe(1);

    const noSendmail = await run({ ALERT_EMAIL: 'ops@example.org', SENDMAIL: path.join(state.dir, 'no-such-sendmail') }, 5);
    expect(noSendmail.stdout).toContain(`email not usable: recipients set, but no SMTP URL (\`smtp\` is empty) and no sendmail program found (${path.join(state.dir, 'no-such-sendmail')})`);
    expect(noSendmail.code).toBe(1);

    const noRecipient = await run({ SMTP_URL: smtp.url('alerts', SMTP_PASSWORD) }, 5);
    expect(noRecipient.stdout).toContain('[WARN] Send the alert: email not usable: no recipients: `to` is empty');
    expect(noRecipient.stdout).not.toContain(SMTP_PASSWORD);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a half-configured channel still warns when on_change has nothing new to send', async () => {
    const quiet = await runCli(['--dir', DIR, 'run', 'hourly-email', '--metric', 'swap.used_percent=5'], { env: cliEnv(state.dir, { ALERT_EMAIL: 'ops@example.org' }) });
    expect(quiet.stdout).toContain('[WARN] Page on change: email not usable: recipients set, but no SMTP URL (`smtp` is empty) and sendmail not enabled; not sent: ');
    expect(quiet.code).toBe(1);

    const unset = await runCli(['--dir', DIR, 'run', 'hourly-email', '--metric', 'swap.used_percent=5'], { env: cliEnv(state.dir) });
    expect(unset.stdout).toContain('[SKIPPED] Page on change: not sent: ');
    expect(unset.code).toBe(0);
  });

  it('retries a failing channel with backoff, then makes the run WARNING while the others deliver', async () => {
    webhookStatus = 503;
    const result = await run(configured(), 5);
    expect(result.code).toBe(1);
    expect(http.to('/hooks/alerts')).toHaveLength(3);
    expect(http.to('/services/T000/B000/slack-secret-path')).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
    expect(result.stdout).toContain('    ! webhook: attempt 1 of 3 failed: HTTP 503: try later; retrying in 10ms');
    expect(result.stdout).toContain('    ! webhook: attempt 2 of 3 failed: HTTP 503: try later; retrying in 20ms');
    expect(result.stdout).toContain('[WARN] Send the alert: webhook not delivered after 3 attempts: HTTP 503: try later; sent by slack, email, stdout, file (');
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^CHANNELS WARNING - webhook not delivered after 3 attempts: HTTP 503: try later; sent by slack, email, stdout, file \| swap=5%;20;80$/);
  });

  it('reports an SMTP server that is down as an undelivered email', async () => {
    const port = await freePort();
    const result = await run(configured({ SMTP_URL: `smtp://alerts:${SMTP_PASSWORD}@127.0.0.1:${port}` }), 5, ['--json']);
    expect(result.code).toBe(1);
    const step = JSON.parse(result.stdout).steps.find((s: { id: string }) => s.id === 'tell');
    expect(step.status).toBe('warn');
    expect(step.output.channels.email).toMatch(/^failed: after 3 attempts: .*ECONNREFUSED/);
    expect(step.output.channels.slack).toBe('sent');
    expect(result.stdout).not.toContain(SMTP_PASSWORD);
  });

  it('mails through the local sendmail when no SMTP URL is set', async () => {
    const out = path.join(state.dir, 'sendmail.out');
    const env = { ...configured({ SMTP_URL: '', SENDMAIL: path.join(DIR, 'fake-sendmail.sh') }), FAKE_SENDMAIL_OUT: out };
    const result = await run(env, 25);
    expect(result.code).toBe(1);
    const [args, ...message] = readFileSync(out, 'utf8').split('\n');
    expect(args).toBe('ARGS: -i -f alerts@example.org ops@example.org oncall@example.org');
    const mail = parseMail(message.join('\n'), { from: '', to: [] });
    expect(mail.subject).toMatch(/^WARNING: Hourly Alerts on \S+$/);
    expect(mail.text).toContain('WARNING swap: swap used 25% above 20% (simulated)');
  });

  it('refuses mistakes at validation, every one at once, at FILE:LINE:COL', async () => {
    const file = path.join(DIR, 'invalid', 'bad-notify.yaml');
    const result = await runCli(['validate', file], { env: cliEnv(state.dir) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:6:13: \`repeat\` must be a duration such as 30s or 6h; got "6 hours"`);
    expect(result.stderr).toContain(`${file}:6:13: \`repeat\` only applies with \`on_change: true\``);
    expect(result.stderr).toContain(`${file}:7:14: \`retries\` would send again to channels that already delivered`);
    expect(result.stderr).toContain(`${file}:10:14: email needs \`smtp\` (a URL such as smtp://user:pass@host:587) or \`sendmail: true\``);
  });
});
