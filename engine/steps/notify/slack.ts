import type { SlackChannel } from '../../playbook/types.generated.js';
import type { Channel, Notification } from './channel.js';
import { alertLines, footer } from './message.js';
import { postJson } from './post-json.js';

// Block Kit limits: a header's text, a section's text.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Slack's mrkdwn treats these three as control characters. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function section(text: string): object {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, SECTION_MAX) } };
}

/**
 * An incoming-webhook message: a header, the alert list, the message in a code block (so a
 * table stays aligned) and who sent it. `text` is the fallback shown in notifications.
 */
export function slackPayload(n: Notification): object {
  const lines = alertLines(n);
  const fence = '```';
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: cut(n.title, HEADER_MAX) } },
    section(lines.map((line) => `• ${escape(line)}`).join('\n')),
    ...(n.message.trim() ? [section(`${fence}${escape(cut(n.message.trimEnd(), SECTION_MAX - 6))}${fence}`)] : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: escape(footer(n)) }] },
  ];
  return { text: [n.title, ...lines].join('\n'), blocks };
}

export const slack: Channel<SlackChannel> = {
  schema: {
    title: 'SlackChannel',
    type: 'object',
    additionalProperties: false,
    description: 'Slack incoming webhook; skipped when `webhook` renders empty',
    properties: { webhook: { type: 'string', description: 'Incoming webhook URL, e.g. "{{env.SLACK_WEBHOOK}}" (declare it `secret: true`)' } },
    required: ['webhook'],
  },
  missing: (settings) => (settings.webhook.trim() ? undefined : 'no webhook URL set'),
  describe: () => 'Slack',
  secrets: (settings) => [settings.webhook],
  send: ({ notification, settings, signal, timeoutMs }) => postJson({ url: settings.webhook.trim(), payload: slackPayload(notification), signal, timeoutMs }),
};
