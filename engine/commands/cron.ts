import type { Command } from 'commander';
import { RunbookError } from '../errors.js';
import type { CommandIO, Wrap } from './io.js';

interface CronFlags {
  install?: boolean;
  uninstall?: boolean;
  crontabFile?: string;
  user?: string;
}

export function registerCron(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('cron')
    .option('--install', 'put the block into the crontab, replacing an earlier one (idempotent)')
    .option('--uninstall', 'remove the block from the crontab')
    .option('--crontab-file <file>', 'edit this file instead of the crontab (`crontab FILE` installs it)')
    .option('-u, --user <user>', "edit another user's crontab (crontab -u; needs root)")
    .description('the crontab block that runs every scheduled playbook, between marker lines')
    .action(action(async (flags: CronFlags) => {
      if (flags.install && flags.uninstall) throw new RunbookError('BAD_ARGUMENT', 'give --install or --uninstall, not both');
      // Loaded here, not at start-up, like every command's machinery.
      const [block, crontab] = await Promise.all([import('../schedule/crontab-block.js'), import('../schedule/crontab-io.js')]);
      const target = { file: flags.crontabFile, user: flags.user };
      if (flags.uninstall) {
        const before = crontab.readCrontab(target);
        const after = block.removeBlock(before);
        if (after !== before) crontab.writeCrontab(target, after);
        io.out(after === before ? 'no runbook block in the crontab: nothing to remove' : 'removed the runbook block from the crontab');
        return 0;
      }
      const [scheduled, { cliCommand }, { cronWarnings }] = await Promise.all([
        import('../schedule/scheduled.js'), import('../schedule/cli-path.js'), import('../schedule/cron-warnings.js'),
      ]);
      const entries = await scheduled.cronEntries(scheduled.requireValid(await scheduled.loadEvery(io.dirs()), 'write the crontab'));
      const lines = block.cronBlock(entries, cliCommand());
      for (const warning of cronWarnings(entries)) io.err(warning);
      if (!flags.install) {
        io.out(lines.join('\n'));
        return 0;
      }
      const before = crontab.readCrontab(target);
      const after = block.withBlock(before, lines);
      if (after !== before) crontab.writeCrontab(target, after);
      io.out(after === before ? `the crontab is up to date (${entries.length} scheduled playbooks)` : `installed ${entries.length} scheduled playbooks in the crontab`);
      return 0;
    }));
}
