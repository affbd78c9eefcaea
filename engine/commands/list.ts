import type { Command } from 'commander';
import { folderOf, listPlaybooks, SHIPPED_DIR } from '../playbook/locate.js';
import { nameProblem } from '../playbook/name.js';
import { readPlaybookText } from '../playbook/read-file.js';
import type { Playbook } from '../playbook/types.generated.js';
import { nextRuns } from '../schedule/next.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

interface Listed {
  playbook: string;
  title: string;
  schedule: { cron: string; timezone: string } | null;
  next_run: string | null;
  file: string;
  /** The folder it was found in, or `shipped`. */
  from: string;
  error?: string;
}

async function describe(name: string, file: string): Promise<Listed> {
  const folder = folderOf({ name, file });
  const base = { playbook: name, file, from: folder === SHIPPED_DIR ? 'shipped' : folder, title: '', schedule: null, next_run: null };
  try {
    const badName = nameProblem(name);
    if (badName) throw new Error(badName);
    const { YamlSource } = await import('../playbook/source.js');
    const data = new YamlSource(file, readPlaybookText(file)).data() as Playbook;
    const schedule = data.schedule;
    const next = schedule ? (await nextRuns(schedule, 1))[0]!.toISOString() : null;
    return { ...base, title: data.title ?? '', schedule: schedule ? { cron: schedule.cron, timezone: schedule.timezone ?? 'UTC' } : null, next_run: next };
  } catch (error) {
    return { ...base, error: `invalid: ${(error as Error).message.split('\n')[0]} (runbook validate ${file})` };
  }
}

export function registerList(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('list')
    .description('playbooks with their titles, schedules, next run and the folder each came from')
    .option('--json', 'print JSON')
    .action(action(async (opts: { json?: boolean }) => {
      const listed = await Promise.all(listPlaybooks(io.dirs()).map(({ name, file }) => describe(name, file)));
      if (opts.json) {
        io.out(jsonText({ playbooks: listed }));
        return 0;
      }
      const width = Math.max(4, ...listed.map((p) => p.playbook.length));
      for (const p of listed) {
        const when = p.schedule ? `${p.schedule.cron}${p.schedule.timezone !== 'UTC' ? ` ${p.schedule.timezone}` : ''} (next ${p.next_run})` : 'by hand';
        io.out(`${p.playbook.padEnd(width)}  ${p.error ?? p.title}  [${when}]  (${p.from === 'shipped' ? 'shipped' : `from ${p.from}`})`);
      }
      return 0;
    }));
}
