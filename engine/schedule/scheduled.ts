import { existsSync } from 'node:fs';
import { RunbookError } from '../errors.js';
import { checkPlaybookFile, formatProblems, type LoadedPlaybook } from '../playbook/load.js';
import { listPlaybooks, SHIPPED_DIR } from '../playbook/locate.js';
import { shellQuote } from '../template/render.js';
import { cronBlock, type CronEntry } from './crontab-block.js';
import { parseSchedule } from './next.js';
import { tickMinutes } from './tick-minutes.js';
import { scheduleWords } from './words.js';

/** Every visible playbook, checked: the valid ones loaded, the others with their problems. */
export interface PlaybookSet {
  valid: LoadedPlaybook[];
  invalid: { name: string; problems: string[] }[];
}

export async function loadEvery(dirs: string[]): Promise<PlaybookSet> {
  const set: PlaybookSet = { valid: [], invalid: [] };
  for (const { name, file } of listPlaybooks(dirs)) {
    const result = await checkPlaybookFile(file, dirs, name);
    if (result.playbook) set.valid.push(result.playbook);
    else set.invalid.push({ name, problems: formatProblems(result) });
  }
  return set;
}

/** The valid playbooks, or INVALID_PLAYBOOK when any is not: a document or crontab must not silently drop one. */
export function requireValid(set: PlaybookSet, what: string): LoadedPlaybook[] {
  if (!set.invalid.length) return set.valid;
  const names = set.invalid.map((p) => p.name).join(', ');
  throw new RunbookError('INVALID_PLAYBOOK', `cannot ${what}: invalid playbooks: ${names} (runbook validate)`, { details: set.invalid.flatMap((p) => p.problems) });
}

/**
 * The folder options that make cron's tick see the playbooks this command sees: cron starts
 * in $HOME without RUNBOOK_DIR, so the folder is named (and `--shipped` when they join it).
 */
export function folderOptions(dirs: string[], shippedDir = SHIPPED_DIR): string {
  const [first, ...rest] = dirs.filter((dir) => existsSync(dir));
  if (!first) return '';
  // The shipped folder is named as the installed CLI's own (not that of an npx run writing the line).
  return ` --dir ${shellQuote(first === SHIPPED_DIR ? shippedDir : first)}${rest.includes(SHIPPED_DIR) ? ' --shipped' : ''}`;
}

/** The crontab block for `playbooks`: their schedules in words, and the one tick line `cli` runs. */
export async function crontabBlock(opts: { playbooks: LoadedPlaybook[]; dirs: string[]; cli: string; shippedDir?: string; machineZone?: string; mailto?: string }): Promise<{ entries: CronEntry[]; lines: string[] }> {
  const entries: CronEntry[] = [];
  const parsed = [];
  for (const { name, data } of opts.playbooks) {
    if (!data.schedule) continue;
    const schedule = await parseSchedule(data.schedule);
    parsed.push(schedule);
    entries.push({ name, title: data.title, timezone: schedule.timezone, words: scheduleWords(schedule) ?? `${schedule.cron} (${schedule.timezone})`, ...(data.log ? { log: data.log } : {}) });
  }
  // Cron reads the line in the machine's zone, or in UTC where it honours the block's CRON_TZ.
  const machineZone = opts.machineZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const minutes = tickMinutes(parsed, [...new Set([machineZone, 'UTC'])]);
  return { entries, lines: cronBlock({ entries, command: `${opts.cli}${folderOptions(opts.dirs, opts.shippedDir)}`, minutes, mailto: opts.mailto }) };
}
