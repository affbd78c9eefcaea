import { RunbookError } from '../errors.js';
import { checkPlaybookFile, formatProblems, type LoadedPlaybook } from '../playbook/load.js';
import { folderOf, listPlaybooks, SHIPPED_DIR } from '../playbook/locate.js';
import type { CronEntry } from './crontab-block.js';
import { debianCronProblem } from './debian-cron.js';
import { parseSchedule } from './next.js';
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

/** One crontab entry per scheduled playbook; refuses schedules Debian's cron would misread. */
export async function cronEntries(playbooks: LoadedPlaybook[]): Promise<CronEntry[]> {
  const problems = playbooks.flatMap((p) => {
    const problem = p.data.schedule && debianCronProblem(p.data.schedule.cron);
    return problem ? [`${p.file}: schedule ${problem}`] : [];
  });
  if (problems.length) throw new RunbookError('INVALID_PLAYBOOK', 'some schedules cannot be installed in cron as written', { details: problems });
  const entries: CronEntry[] = [];
  for (const playbook of playbooks) {
    const { name, data } = playbook;
    if (!data.schedule) continue;
    const parsed = await parseSchedule(data.schedule);
    const words = scheduleWords(parsed) ?? `${parsed.cron} (${parsed.timezone})`;
    const dir = folderOf(playbook);
    entries.push({ name, title: data.title, cron: parsed.cron, timezone: parsed.timezone, words, log: data.log, ...(dir === SHIPPED_DIR ? {} : { dir }) });
  }
  return entries;
}
