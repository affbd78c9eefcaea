import { closeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openAppendNoFollow } from '../../fs/safe-open.js';
import type { FileChannel } from '../../playbook/types.generated.js';
import type { Channel } from './channel.js';
import { plainText } from './message.js';

export const file: Channel<FileChannel> = {
  schema: {
    title: 'FileChannel',
    type: 'object',
    additionalProperties: false,
    description: 'Appends each notification to a file; skipped when `path` renders empty',
    properties: {
      path: { type: 'string', description: 'e.g. /var/log/runbook/alerts.log' },
      format: { enum: ['text', 'json'], default: 'text', description: 'text: a block per notification; json: one JSON object per line' },
    },
    required: ['path'],
  },
  missing: (settings) => (settings.path.trim() ? undefined : 'no path set'),
  describe: (settings) => `file ${settings.path}`,
  async send({ notification, settings }) {
    // The JSON line leaves out the step outputs: a log file line per run must stay small.
    const entry = settings.format === 'json' ? `${JSON.stringify({ ...notification, steps: undefined })}\n` : `${plainText(notification)}\n`;
    // Not through a symbolic link: one planted in /tmp would have root append to any file.
    const fd = openAppendNoFollow(path.resolve(settings.path.trim()));
    try {
      writeFileSync(fd, entry);
    } finally {
      closeSync(fd);
    }
  },
};
