import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { errorMessage, RunbookError } from '../errors.js';
import type { CommandIO, Wrap } from './io.js';
import { jsonText } from './json.js';

interface CronFlags {
  install?: boolean;
  uninstall?: boolean;
  crontabFile?: string;
  user?: string;
  mailto?: string;
  logrotate?: boolean | string;
  json?: boolean;
}

export function registerCron(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('cron')
    .option('--install', 'put the block into the crontab, replacing an earlier one (idempotent)')
    .option('--uninstall', 'remove the block from the crontab')
    .option('--crontab-file <file>', 'edit this file instead of the crontab (`crontab FILE` installs it)')
    .option('-u, --user <user>', "edit another user's crontab (crontab -u; needs root)")
    .option('--mailto <addresses>', 'MAILTO for the block: cron mails the end of the tick log when a run is not OK')
    .option('--logrotate [file]', 'also print a logrotate rule for the logs; with --install, write it (default /etc/logrotate.d/runbook)')
    .option('--json', 'print JSON')
    .description('the crontab block: one `runbook tick` line that runs each scheduled playbook when it is due; shows exactly what --install writes')
    .action(action(async (flags: CronFlags) => {
      if (flags.install && flags.uninstall) throw new RunbookError('BAD_ARGUMENT', 'give --install or --uninstall, not both');
      // Loaded here, not at start-up, like every command's machinery.
      const [block, crontab] = await Promise.all([import('../schedule/crontab-block.js'), import('../schedule/crontab-io.js')]);
      const target = { file: flags.crontabFile, user: flags.user };
      const say = (text: string, json: object) => io.out(flags.json ? jsonText(json) : text);
      if (flags.uninstall) {
        const before = crontab.readCrontab(target);
        const after = block.removeBlock(before);
        if (after !== before) crontab.writeCrontab(target, after);
        say(after === before ? 'no runbook block in the crontab: nothing to remove' : 'removed the runbook block from the crontab', { removed: after !== before });
        return 0;
      }
      const [scheduled, { cliInstall }, { cronWarnings }, logrotate] = await Promise.all([
        import('../schedule/scheduled.js'), import('../schedule/cli-path.js'), import('../schedule/cron-warnings.js'), import('../schedule/logrotate.js'),
      ]);
      const dirs = io.dirs();
      const playbooks = scheduled.requireValid(await scheduled.loadEvery(dirs), 'write the crontab');
      const install = cliInstall(io.env);
      const { entries, lines } = await scheduled.crontabBlock({ playbooks, dirs, cli: install.command, shippedDir: install.shippedDir, mailto: flags.mailto });
      const warnings = cronWarnings(entries);
      for (const warning of warnings) io.err(warning);
      const rule = flags.logrotate ? logrotate.logrotateRule(entries) : undefined;
      const ruleFile = typeof flags.logrotate === 'string' ? flags.logrotate : logrotate.LOGROTATE_FILE;
      if (!flags.install) {
        // The block as --install would place it in this crontab (its CRON_TZ and MAILTO lines fit what is above it).
        let rest: string[] = [];
        try {
          rest = block.withoutBlock(crontab.readCrontab(target));
        } catch (error) {
          io.err(`note: the crontab could not be read (${errorMessage(error)}): shown as it would go into an empty one`);
        }
        const placed = block.placedBlock(rest, lines);
        say([...placed, ...(rule ? ['', `# ${ruleFile}:`, rule.trimEnd()] : [])].join('\n'), { lines: placed, warnings, logrotate: rule ?? null });
        return 0;
      }
      const before = crontab.readCrontab(target);
      const after = block.withBlock(before, lines);
      if (after !== before) crontab.writeCrontab(target, after);
      if (rule) {
        try {
          writeFileSync(ruleFile, rule, { mode: 0o644 });
        } catch (error) {
          throw new RunbookError('CRONTAB', `the crontab is installed, but ${ruleFile} could not be written (${errorMessage(error)}): as root, \`runbook cron --logrotate | tail -n +2\` shows the rule to put there`);
        }
      } else if (!flags.json && !existsSync(logrotate.LOGROTATE_FILE)) {
        io.err(`note: nothing rotates the logs under /var/log/runbook: \`sudo runbook cron --install --logrotate\` writes a rule to ${logrotate.LOGROTATE_FILE}`);
      }
      say(after === before ? `the crontab is up to date (${entries.length} scheduled playbooks)` : `installed ${entries.length} scheduled playbooks in the crontab`,
        { installed: entries.length, changed: after !== before, lines: block.placedBlock(block.withoutBlock(before), lines), logrotate: rule ? ruleFile : null });
      return 0;
    }));
}
