import { errorMessage } from '../../errors.js';
import type { Redactor } from '../../redact.js';
import { deadline } from '../http/deadline.js';
import type { Channel, Notification } from './channel.js';
import { CHANNELS } from './channels.js';
import { withRetries } from './retry.js';

export interface Delivery {
  channel: string;
  /** `unusable`: configured (a recipient, a URL) but missing what it needs to send. */
  result: 'sent' | 'skipped' | 'unusable' | 'failed';
  /** Why it was skipped or what failed. */
  detail?: string;
}

export interface DeliverOptions {
  /** The step's `channels:` with templates rendered. */
  channels: Record<string, unknown>;
  notification: Notification;
  retries: number;
  retryDelayMs: number;
  /** Per attempt: a channel that hangs must not use up the whole step. */
  attemptTimeoutMs: number;
  signal: AbortSignal;
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  redactor: Redactor;
}

/** Undefined when the channel can send; else skipped (nothing configured) or unusable (half configured). */
export function usability(name: string, settings: unknown): Delivery | undefined {
  const channel = (CHANNELS as Record<string, Channel<unknown>>)[name]!;
  const missing = channel.missing(settings);
  if (!missing) return undefined;
  const configured = channel.configured?.(settings) ?? false;
  return { channel: name, result: configured ? 'unusable' : 'skipped', detail: missing };
}

async function deliverOne(name: string, settings: unknown, opts: DeliverOptions): Promise<Delivery> {
  const channel = (CHANNELS as Record<string, Channel<unknown>>)[name]!;
  const usable = usability(name, settings);
  if (usable) {
    opts.log(`${name}: ${usable.result === 'skipped' ? 'skipped' : 'not usable'}: ${usable.detail}`, usable.result === 'skipped' ? 'stdout' : 'stderr');
    return usable;
  }
  // An error may quote the endpoint (a webhook URL is a secret even when not declared as one).
  const redactor = opts.redactor.with((channel.secrets?.(settings) ?? []).filter((s): s is string => Boolean(s)));
  const say = (line: string, stream?: 'stdout' | 'stderr') => opts.log(redactor.text(`${name}: ${line}`), stream);
  try {
    const attempt = async () => {
      const limit = deadline(opts.signal, opts.attemptTimeoutMs);
      try {
        await channel.send({ notification: opts.notification, settings, signal: limit.signal, timeoutMs: opts.attemptTimeoutMs, log: (line) => opts.log(line) });
      } finally {
        limit.clear();
      }
    };
    const { attempts } = await withRetries(
      attempt,
      { retries: opts.retries, delayMs: opts.retryDelayMs, signal: opts.signal, onRetry: (message) => say(message, 'stderr') },
    );
    say(`sent${attempts > 1 ? ` (attempt ${attempts})` : ''}`);
    return { channel: name, result: 'sent' };
  } catch (error) {
    const detail = redactor.text(errorMessage(error));
    say(`not delivered ${detail}`, 'stderr');
    return { channel: name, result: 'failed', detail };
  }
}

/** Sends to every channel at once: a slow or failing one never holds back the others. */
export function deliverAll(opts: DeliverOptions): Promise<Delivery[]> {
  return Promise.all(Object.entries(opts.channels).map(([name, settings]) => deliverOne(name, settings, opts)));
}
