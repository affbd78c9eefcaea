import type { Command } from 'commander';
import { durationOption } from './duration-option.js';
import type { CommandIO, Wrap } from './io.js';

export function registerTop(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('top')
    .option('--interval <duration>', 'how often the view is refreshed', '5s')
    .option('--once', 'print one frame and exit (for scripts and cron mail)')
    .option('--grace <duration>', 'how late a scheduled run may start before it counts as missed', '10m')
    .description('the box, PM2 and every playbook\'s last and next run in the terminal; q quits')
    .action(action(async (opts: { interval: string; once?: boolean; grace: string }) => {
      const intervalMs = durationOption('--interval', opts.interval);
      const graceMs = durationOption('--grace', opts.grace);
      const { dashboardData } = await import('../dashboard/open.js');
      const { renderFrame } = await import('../dashboard/top-frame.js');
      const { localeIsUtf8 } = await import('../schedule/status.js');
      const { data, pm2 } = await dashboardData({ io, graceMs });
      const style = () => ({
        width: process.stdout.columns || Number(io.env.COLUMNS) || 100,
        color: process.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb',
        utf8: localeIsUtf8(io.env),
      });
      try {
        if (opts.once) {
          io.out(renderFrame(await data.status(), style()));
          return 0;
        }
        const { liveTop } = await import('../dashboard/top-live.js');
        await liveTop({ term: { stdout: process.stdout, stdin: process.stdin }, intervalMs, read: () => data.status(), style });
        return 0;
      } finally {
        pm2.close();
      }
    }));
}
