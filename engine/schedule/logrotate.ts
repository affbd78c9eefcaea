import path from 'node:path';
import { defaultLogFile, type CronEntry } from './crontab-block.js';

/** Where `runbook cron --install --logrotate` writes the rule (root only). */
export const LOGROTATE_FILE = '/etc/logrotate.d/runbook';

/**
 * A logrotate rule for the logs the crontab block appends to (and playbooks' own `log` files):
 * weekly, eight kept, compressed. Each run opens its log anew (`>>`), so a rotated file needs no
 * signal and no copytruncate: the next run creates the new one.
 */
export function logrotateRule(entries: CronEntry[]): string {
  const folders = [...new Set(entries.filter((entry) => !entry.log).map((entry) => path.dirname(defaultLogFile(entry.name))))];
  const files = [...new Set(entries.flatMap((entry) => (entry.log ? [path.resolve(entry.log)] : [])))];
  const quoted = (target: string) => (/\s/.test(target) ? `"${target}"` : target);
  const targets = [...(folders.length ? folders : [path.dirname(defaultLogFile("x"))]).map((dir) => `${dir}/*.log`), ...files].map(quoted);
  return `# Written by \`runbook cron --logrotate\`: the logs of the runs cron starts.
${targets.join(' ')} {
    weekly
    rotate 8
    compress
    delaycompress
    missingok
    notifempty
}
`;
}
