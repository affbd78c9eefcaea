import type { Channel } from './channel.js';
import { email } from './email.js';
import { file } from './file.js';
import { slack } from './slack.js';
import { stdout } from './stdout.js';
import { webhook } from './webhook.js';

/** Every notify channel, by its key under `channels:`. */
export const CHANNELS = { slack, email, webhook, stdout, file } satisfies Record<string, Channel<any>>;

export type ChannelName = keyof typeof CHANNELS;
