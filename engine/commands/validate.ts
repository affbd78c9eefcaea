import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { listPlaybooks, nameOfFile } from '../playbook/locate.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

export function registerValidate(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('validate')
    .argument('[files...]', 'playbook files (default: every playbook)')
    .option('--json', 'print JSON: each playbook with its problems')
    .description('check playbooks; every problem as FILE:LINE:COL: message')
    .action(action(async (files: string[], opts: { json?: boolean }) => {
      const { checkPlaybookFile, formatProblems } = await import('../playbook/load.js');
      const dirs = io.dirs();
      const targets = files.length ? files : listPlaybooks(dirs).map((p) => p.file);
      const checked = [];
      for (const file of targets) {
        const result = await checkPlaybookFile(file, dirs);
        if (!opts.json) for (const text of formatProblems(result)) io.err(text);
        checked.push({ playbook: nameOfFile(file, dirs), file, problems: result.problems.map(({ line, col, message }) => ({ line, col, message })) });
      }
      const bad = checked.filter((entry) => entry.problems.length).length;
      if (opts.json) io.out(jsonText({ valid: targets.length - bad, invalid: bad, playbooks: checked }));
      else io.out(bad ? `${bad} of ${targets.length} playbooks have problems` : `${targets.length} playbooks valid`);
      return bad ? EXIT.UNKNOWN : EXIT.OK;
    }));
}
