import type { WebhookChannel } from '../../playbook/types.generated.js';
import type { Channel } from './channel.js';
import { plainText } from './message.js';
import { postJson } from './post-json.js';

export const webhook: Channel<WebhookChannel> = {
  schema: {
    title: 'WebhookChannel',
    type: 'object',
    additionalProperties: false,
    description: 'POSTs the run so far as JSON; skipped when `url` renders empty',
    properties: {
      url: { type: 'string', description: 'e.g. "{{env.ALERT_WEBHOOK}}"' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'e.g. Authorization: "Bearer {{env.WEBHOOK_TOKEN}}"' },
    },
    required: ['url'],
  },
  missing: (settings) => (settings.url.trim() ? undefined : 'no URL set'),
  describe: () => 'webhook',
  secrets: (settings) => [settings.url, ...Object.values(settings.headers ?? {})],
  send: ({ notification, settings, signal, timeoutMs }) =>
    postJson({ url: settings.url.trim(), payload: { ...notification, text: plainText(notification) }, headers: settings.headers, signal, timeoutMs }),
};
