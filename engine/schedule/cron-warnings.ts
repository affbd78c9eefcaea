import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { shellQuote } from '../template/render.js';
import { defaultLogFile, TICK_LOG, type CronEntry } from './crontab-block.js';

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What would keep the tick or a scheduled run from writing its log. */
export function cronWarnings(entries: CronEntry[]): string[] {
  const files = [TICK_LOG, ...entries.map((entry) => entry.log ?? defaultLogFile(entry.name))];
  const logDirs = [...new Set(files.map((file) => path.dirname(path.resolve(file))))];
  return logDirs.filter((dir) => !writable(dir)).map((dir) =>
    `warning: ${dir} is missing or not writable, so the scheduled runs cannot write their logs: sudo install -d -o "$USER" ${shellQuote(dir)}`);
}
