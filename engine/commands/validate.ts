import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { listPlaybooks } from '../playbook/locate.js';
import type { CommandIO, Wrap } from './io.js';

export function registerValidate(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('validate')
    .argument('[files...]', 'playbook files (default: every playbook)')
    .description('check playbooks; every problem as FILE:LINE:COL: message')
    .action(action(async (files: string[]) => {
      const { checkPlaybookFile, formatProblems } = await import('../playbook/load.js');
      const dirs = io.dirs();
      const targets = files.length ? files : listPlaybooks(dirs).map((p) => p.file);
      let bad = 0;
      for (const file of targets) {
        const result = await checkPlaybookFile(file, dirs);
        if (result.problems.length) bad++;
        for (const text of formatProblems(result)) io.err(text);
      }
      io.out(bad ? `${bad} of ${targets.length} playbooks have problems` : `${targets.length} playbooks valid`);
      return bad ? EXIT.UNKNOWN : EXIT.OK;
    }));
}
