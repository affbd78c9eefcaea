import type { Command } from 'commander';
import { EXIT, RunbookError } from '../errors.js';
import { listPlaybooks } from '../playbook/locate.js';
import type { CommandIO, Wrap } from './io.js';

export function registerCompletion(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('completion')
    .argument('[shell]', 'bash, zsh or fish')
    .description('print a shell completion script: source <(runbook completion bash)')
    .option('--playbooks', 'print the playbook names, one a line (what the scripts complete)')
    .action(action(async (shell: string | undefined, opts: { playbooks?: boolean }) => {
      if (opts.playbooks) {
        for (const playbook of listPlaybooks(io.dirs())) io.out(playbook.name);
        return EXIT.OK;
      }
      const { SHELLS, completionScript } = await import('../completion/scripts.js');
      if (!(SHELLS as readonly string[]).includes(shell ?? '')) {
        throw new RunbookError('BAD_ARGUMENT', `give a shell: runbook completion ${SHELLS.join('|')}`);
      }
      const { completionSpec } = await import('../completion/spec.js');
      const { STEP_TYPES } = await import('../steps/index.js');
      io.out(completionScript(shell as (typeof SHELLS)[number], completionSpec(program), Object.keys(STEP_TYPES)).trimEnd());
      return EXIT.OK;
    }));
}
