import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { shellQuote } from '../template/render.js';
import { defaultLogFile, type CronEntry } from './crontab-block.js';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu', 'GMT', 'Etc/GMT']);
const sameZone = (a: string, b: string) => a === b || (UTC_NAMES.has(a) && UTC_NAMES.has(b));

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What would make an installed line fail, or fire at another time than its playbook says. */
export function cronWarnings(entries: CronEntry[]): string[] {
  // The zone this process sees (TZ, else /etc/localtime); cron itself uses /etc/localtime.
  const machineZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = entries.filter((entry) => !sameZone(entry.timezone, machineZone)).map((entry) =>
    `warning: ${entry.name} is scheduled in ${entry.timezone} but this machine runs in ${machineZone}: ` +
    "cronie honours the block's CRON_TZ line, Debian's cron ignores it and fires in the machine's zone");
  const logDirs = [...new Set(entries.map((entry) => path.dirname(path.resolve(entry.log ?? defaultLogFile(entry.name)))))];
  const logs = logDirs.filter((dir) => !writable(dir)).map((dir) =>
    `warning: ${dir} is missing or not writable, so cron cannot write the log: sudo install -d -o "$USER" ${shellQuote(dir)}`);
  return [...zones, ...logs];
}
