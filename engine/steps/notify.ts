import { isDuration, parseDuration } from '../duration.js';
import type { NotifyStep } from '../playbook/types.generated.js';
import { hasTemplate } from '../template/render.js';
import type { Notification } from './notify/channel.js';
import { CHANNELS } from './notify/channels.js';
import { alertKeys, decide, previousRunAlerts, readSent } from './notify/dedupe.js';
import { deliverAll, usability, type Delivery } from './notify/deliver.js';
import { defaultTitle, plainText, statusOf } from './notify/message.js';
import type { ReportProblem, StepOutcome, StepType } from './types.js';

const DEFAULT_CHANNEL_RETRIES = 2;
const DEFAULT_CHANNEL_RETRY_DELAY = '2s';
// Per attempt of one channel: a webhook that never answers must leave time for the retries.
const ATTEMPT_TIMEOUT_MS = 15_000;

/** A channel that can send; the others go along only to say why not (skipped, or a warning when half configured). */
function ready(channel: string, step: NotifyStep): boolean {
  return !usability(channel, (step.channels as Record<string, unknown>)[channel]);
}

function checkDuration(text: string | undefined, key: string, report: ReportProblem): void {
  if (text !== undefined && !hasTemplate(text) && !isDuration(text)) report([key], `\`${key}\` must be a duration such as 30s or 6h; got "${text}"`);
}

function unusableText(d: Delivery): string {
  return `${d.channel} not usable: ${d.detail}`;
}

/** The step's result from what each channel did: a channel that failed makes it warn. */
function outcomeOf(deliveries: Delivery[], notification: Notification): StepOutcome {
  const by = (result: Delivery['result']) => deliveries.filter((d) => d.result === result);
  const [sent, failed, skipped, unusable] = [by('sent'), by('failed'), by('skipped'), by('unusable')];
  // Failures first: when the step warns, this line is the alert and ends up in the summary.
  const message = [
    ...unusable.map(unusableText),
    ...failed.map((d) => `${d.channel} not delivered ${d.detail}`),
    sent.length ? `sent by ${sent.map((d) => d.channel).join(', ')}` : '',
    skipped.length && !failed.length ? `skipped ${skipped.map((d) => `${d.channel} (${d.detail})`).join(', ')}` : '',
  ].filter(Boolean).join('; ');
  const output = {
    sent: sent.length > 0,
    reason: notification.reason,
    title: notification.title,
    text: plainText(notification),
    channels: Object.fromEntries(deliveries.map((d) => [d.channel, d.detail ? `${d.result}: ${d.detail}` : d.result])),
  };
  if (failed.length || unusable.length) return { level: 'warn', output, message };
  if (!sent.length) return { status: 'skipped', output, message: `nothing sent: ${message}` };
  return { output, message };
}

export const notify: StepType<NotifyStep, 'previousRun'> = {
  summary: 'Sends the run\'s alerts and a message to Slack, email, a webhook, the run output or a file.',
  schema: {
    properties: {
      channels: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        description: 'Where to send; a channel whose settings render empty is skipped and says so',
        properties: Object.fromEntries(Object.entries(CHANNELS).map(([name, channel]) => [name, channel.schema])),
      },
      title: { type: 'string', description: 'Template (may use `status`: OK, WARNING or CRITICAL so far, and `reason`); default "STATUS: playbook title on host"' },
      message: { type: 'string', description: 'Template: the text under the alert list (may use `status` and `reason`)' },
      on_change: { type: 'boolean', default: false, description: 'Send only when the alerts (step and level) differ from the last run\'s, or after `repeat`' },
      repeat: { type: 'string', description: 'With on_change: send the same alerts again once this long has passed (6h)' },
      channel_retries: { type: 'integer', minimum: 0, maximum: 10, default: DEFAULT_CHANNEL_RETRIES, description: 'Retries of a failing channel; the others are not sent again' },
      channel_retry_delay: { type: 'string', default: DEFAULT_CHANNEL_RETRY_DELAY, description: 'Before the first retry of a channel; doubles each time' },
    },
    required: ['channels'],
  },
  outputs: {
    sent: { type: 'boolean', description: 'At least one channel delivered' },
    reason: { type: 'string', description: 'every-run, changed, recovered or reminder' },
    title: { type: 'string', description: 'The title that was sent' },
    text: { type: 'string', description: 'The message as plain text' },
    channels: { type: 'object', description: 'Each channel: sent, failed: why, or skipped: why' },
    not_sent_because: { type: 'string', description: 'Why nothing was sent', when: 'on_change: the alerts did not change' },
  },
  example: `- name: Tell the team
  type: notify
  when: on-alert
  on_change: true
  repeat: 6h
  channels:
    slack: { webhook: "{{env.SLACK_WEBHOOK}}" }
    stdout: true`,
  templates: { title: 'deferred', message: 'deferred' },
  templateLocals: ['status', 'reason'],
  sideEffects: true,
  ports: ['previousRun'],
  check(step, report) {
    checkDuration(step.repeat, 'repeat', report);
    checkDuration(step.channel_retry_delay, 'channel_retry_delay', report);
    if (step.repeat !== undefined && !step.on_change) report(['repeat'], '`repeat` only applies with `on_change: true` (without it every run sends)');
    if (step.retries !== undefined) report(['retries'], '`retries` would send again to channels that already delivered: a notify step retries each failing channel on its own (`channel_retries`)');
    const mail = step.channels.email;
    if (mail && mail.smtp === undefined && !mail.sendmail) report(['channels', 'email'], 'email needs `smtp` (a URL such as smtp://user:pass@host:587) or `sendmail: true`');
  },
  describe(step) {
    const targets = Object.entries(step.channels).map(([name, settings]) => (CHANNELS as Record<string, { describe(s: unknown): string }>)[name]!.describe(settings));
    const dedupe = step.on_change ? ` when the alerts change${step.repeat ? ` (reminder every ${step.repeat})` : ''}` : '';
    return `send the alerts to ${targets.join(', ')}${dedupe}`;
  },

  async run(ctx) {
    const { step, context } = ctx;
    const alerts = context.run.alerts;
    const current = alertKeys(alerts);
    const sent = readSent(ctx.state);
    const previousRun = step.on_change ? previousRunAlerts(ctx.previousRun, step) : [];
    // Each configured channel decides on its own: one that failed last time (Slack down) is sent
    // again even when another channel (stdout) already delivered the same alerts.
    const decisions = Object.keys(step.channels).map((channel) => ({
      channel,
      decision: decide({
        onChange: step.on_change ?? false,
        repeat: step.repeat ? { text: step.repeat, ms: parseDuration(step.repeat) } : undefined,
        current,
        previousRun,
        lastSent: sent[channel],
        now: new Date(),
      }),
    }));
    const able = decisions.filter(({ channel }) => ready(channel, step));
    // Channels that cannot send go along only to say why.
    const sending = decisions.filter(({ channel, decision }) => !ready(channel, step) || decision.send);
    const decision = able.map((d) => d.decision).find((d) => d.send) ?? (able[0] ?? decisions[0]!).decision;
    if (!decision.send) {
      ctx.log(`not sent: ${decision.why}`);
      const output = { sent: false, not_sent_because: decision.why };
      // A half-configured channel stays a warning on quiet runs too, or it would be seen only during an incident.
      const unusable = Object.keys(step.channels).map((channel) => usability(channel, (step.channels as Record<string, unknown>)[channel])).filter((d) => d?.result === 'unusable');
      if (unusable.length) return { level: 'warn', output, message: [...unusable.map((d) => unusableText(d!)), `not sent: ${decision.why}`].join('; ') };
      return { status: 'skipped', output, message: `not sent: ${decision.why}` };
    }
    const status = statusOf(alerts);
    const locals = { status, reason: decision.reason };
    const title = step.title
      ? ctx.render(step.title, locals).trim().split('\n')[0]!
      : defaultTitle({ status, reason: decision.reason, playbookTitle: context.playbook.title, host: context.host.hostname });
    // Redacted before any channel sees it: a secret must never reach Slack, a mailbox or a webhook.
    const notification: Notification = ctx.redactor.deep({
      title,
      message: step.message ? ctx.render(step.message, locals) : '',
      status,
      reason: decision.reason,
      alerts,
      playbook: context.playbook,
      run: { id: context.run.id, started_at: context.run.started_at },
      host: context.host.hostname,
      steps: context.steps,
    });
    const deliveries = await deliverAll({
      channels: Object.fromEntries(sending.map(({ channel }) => [channel, (step.channels as Record<string, unknown>)[channel]])),
      notification,
      retries: step.channel_retries ?? DEFAULT_CHANNEL_RETRIES,
      retryDelayMs: parseDuration(step.channel_retry_delay ?? DEFAULT_CHANNEL_RETRY_DELAY),
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      signal: ctx.signal,
      log: ctx.log,
      redactor: ctx.redactor,
    });
    const delivered = deliveries.filter((d) => d.result === 'sent');
    for (const d of delivered) sent[d.channel] = { alerts: current, sent_at: new Date().toISOString(), run_id: context.run.id };
    if (delivered.length) ctx.state.write(sent);
    return outcomeOf(deliveries, notification);
  },
};
