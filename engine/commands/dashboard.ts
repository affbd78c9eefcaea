import type { Command } from 'commander';
import { RunbookError } from '../errors.js';
import type { CommandIO, Wrap } from './io.js';
import { durationOption } from './duration-option.js';
import { stopSignal } from './stop-signal.js';
import { keepYoungGenerationSmall } from '../dashboard/heap.js';

export function registerDashboard(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('dashboard')
    .option('--host <address>', 'address to listen on (beyond loopback needs RUNBOOK_DASHBOARD_TOKEN)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8787')
    .option('--interval <duration>', 'how often an open page is updated', '5s')
    .option('--grace <duration>', 'how late a scheduled run may start before it counts as missed', '10m')
    .description('a read-only web page of the box, PM2, every playbook\'s runs and readings; stops on SIGINT/SIGTERM')
    .action(action(async (opts: { host: string; port: string; interval: string; grace: string }) => {
      keepYoungGenerationSmall(); // first: the heap grows as the server starts
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RunbookError('BAD_ARGUMENT', `--port ${opts.port}: expected a port number`);
      const intervalMs = durationOption('--interval', opts.interval);
      const graceMs = durationOption('--grace', opts.grace);
      const token = io.env.RUNBOOK_DASHBOARD_TOKEN || undefined;
      const { checkBind } = await import('../dashboard/access.js');
      checkBind(opts.host, token);
      const stopped = stopSignal(); // before the URL is printed: whoever reads it may stop us at once
      const { openDashboard } = await import('../dashboard/open.js');
      const dashboard = await openDashboard({ io, host: opts.host, port, token, intervalMs, graceMs });
      io.out(`runbook dashboard: ${dashboard.url}${token ? ' (send the token: Authorization: Bearer, or open the page once with ?token=)' : ''}`);
      const signal = await stopped;
      await dashboard.close();
      io.out(`runbook dashboard: stopped (${signal})`);
      return 0;
    }));
}
