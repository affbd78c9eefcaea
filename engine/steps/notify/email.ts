import os from 'node:os';
import type { EmailChannel } from '../../playbook/types.generated.js';
import type { Channel } from './channel.js';
import { plainText } from './message.js';

/** `ALERT_EMAIL` style: "a@x.org, b@y.org". */
export function recipients(to: string): string[] {
  return to.split(/[,;\s]+/).map((address) => address.trim()).filter(Boolean);
}

function sendmailPath(settings: EmailChannel): string | undefined {
  if (settings.sendmail === true) return 'sendmail';
  return typeof settings.sendmail === 'string' && settings.sendmail.trim() ? settings.sendmail.trim() : undefined;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped before the mail was accepted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export const email: Channel<EmailChannel> = {
  schema: {
    title: 'EmailChannel',
    type: 'object',
    additionalProperties: false,
    description: 'Mail through an SMTP server (connection URL) or the local sendmail; skipped when `to` or the transport renders empty',
    properties: {
      to: { type: 'string', description: 'Recipients, comma-separated, e.g. "{{env.ALERT_EMAIL}}"' },
      smtp: { type: 'string', description: 'smtp://user:pass@host:587 or smtps://user:pass@host:465, e.g. "{{env.SMTP_URL}}"' },
      sendmail: { type: ['boolean', 'string'], description: 'true (or a path): use the local sendmail when `smtp` is absent or empty' },
      from: { type: 'string', description: 'Sender; default runbook@<hostname>' },
    },
    required: ['to'],
  },
  missing(settings) {
    if (!recipients(settings.to).length) return 'no recipients: `to` is empty';
    if (!settings.smtp?.trim() && !sendmailPath(settings)) return 'no SMTP URL set and sendmail not enabled';
    return undefined;
  },
  describe: (settings) => `email to ${settings.to}`,
  secrets: (settings) => [settings.smtp],

  async send({ notification, settings, signal, timeoutMs }) {
    // nodemailer is heavy: loaded only when a playbook actually sends mail.
    const { default: nodemailer } = await import('nodemailer');
    const smtp = settings.smtp?.trim();
    const transport = smtp
      ? nodemailer.createTransport({ url: smtp, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs })
      : nodemailer.createTransport({ sendmail: true, newline: 'unix', path: sendmailPath(settings) });
    try {
      await abortable(transport.sendMail({
        from: settings.from?.trim() || `runbook@${os.hostname()}`,
        to: recipients(settings.to),
        subject: notification.title,
        text: plainText(notification),
      }), signal);
    } finally {
      transport.close();
    }
  },
};
