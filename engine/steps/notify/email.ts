import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmailChannel } from '../../playbook/types.generated.js';
import type { Channel } from './channel.js';
import { plainText } from './message.js';

/** `ALERT_EMAIL` style: "a@x.org, b@y.org". */
export function recipients(to: string): string[] {
  return to.split(/[,;\s]+/).map((address) => address.trim()).filter(Boolean);
}

// Where sendmail lives; cron's PATH (/usr/bin:/bin) does not reach /usr/sbin.
const SENDMAIL_DIRS = ['/usr/sbin', '/usr/lib'];

/** The sendmail program asked for: `true` finds it on PATH or in /usr/sbin, /usr/lib. */
function sendmailWanted(settings: EmailChannel): { path?: string; asked: boolean } {
  if (settings.sendmail === true) {
    const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SENDMAIL_DIRS];
    return { asked: true, path: dirs.map((dir) => path.join(dir, 'sendmail')).find(executable) };
  }
  const given = typeof settings.sendmail === 'string' ? settings.sendmail.trim() : '';
  return { asked: given !== '', path: given && executable(given) ? given : undefined };
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
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
    description: 'Mail through an SMTP server (connection URL) or the local sendmail; skipped when `to` and `smtp` render empty, a warning when only one of them does',
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
    if (settings.smtp?.trim()) return undefined;
    const sendmail = sendmailWanted(settings);
    if (sendmail.path) return undefined;
    const why = sendmail.asked ? `no sendmail program found (${settings.sendmail === true ? `looked on PATH, ${SENDMAIL_DIRS.join(', ')}` : String(settings.sendmail).trim()})` : 'sendmail not enabled';
    return `recipients set, but no SMTP URL (\`smtp\` is empty) and ${why}`;
  },
  // A recipient or a mail server is a setting: either alone means someone meant mail to go out.
  configured: (settings) => recipients(settings.to).length > 0 || !!settings.smtp?.trim(),
  describe: (settings) => `email to ${settings.to}`,
  secrets: (settings) => [settings.smtp],

  async send({ notification, settings, signal, timeoutMs }) {
    // nodemailer is heavy: loaded only when a playbook actually sends mail.
    const { default: nodemailer } = await import('nodemailer');
    const smtp = settings.smtp?.trim();
    const transport = smtp
      ? nodemailer.createTransport({ url: smtp, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs })
      : nodemailer.createTransport({ sendmail: true, newline: 'unix', path: sendmailWanted(settings).path });
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
