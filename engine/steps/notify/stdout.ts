import type { StdoutChannel } from '../../playbook/types.generated.js';
import type { Channel } from './channel.js';
import { plainText } from './message.js';

/** Into the run's own output: the cron mail or log file then carries the message. */
export const stdout: Channel<StdoutChannel> = {
  schema: { title: 'StdoutChannel', type: 'boolean', description: '`true`: print the message in the run output (cron mail, log file)' },
  missing: (settings) => (settings ? undefined : 'turned off'),
  describe: () => 'the run output',
  async send({ notification, log }) {
    for (const line of plainText(notification).trimEnd().split('\n')) log(line);
  },
};
