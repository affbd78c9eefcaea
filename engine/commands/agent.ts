import type { Command } from 'commander';
import { usingFleet } from '../fleet/config.js';
import type { CommandIO, Wrap } from './io.js';
import { stopSignal } from './stop-signal.js';

export function registerAgent(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('agent')
    .option('--scheduler', 'also run the fleet\'s schedules (pg-boss cron); run it on two hosts or more, each tick still runs once per host')
    .description('the fleet worker of this host (RUNBOOK_FLEET_URL, RUNBOOK_HOST): runs the jobs addressed to it; stops on SIGTERM')
    .action(action(async (flags: { scheduler?: boolean }) => {
      const stop = stopSignal();
      const { runAgent } = await import('../fleet/agent.js');
      const { dir, shipped } = program.opts<{ dir?: string; shipped?: boolean }>();
      // Each run is `runbook run` started with the agent's own folder options.
      const dirArgs = [...(dir ? ['--dir', dir] : []), ...(shipped ? ['--shipped'] : [])];
      await usingFleet(io.env, () => runAgent({ env: io.env, dirs: io.dirs(), dirArgs, scheduler: flags.scheduler ?? false, out: io.out, err: io.err, stop }));
      return 0;
    }));
}
