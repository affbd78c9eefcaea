import type { CommandIO } from '../commands/io.js';
import { RunbookError } from '../errors.js';
import { pm2Home } from '../steps/pm2/daemon.js';
import { DashboardData } from './data.js';
import { fleetSource } from './fleet-view.js';
import { Pm2Reader } from './pm2-reader.js';
import { startDashboard, type Dashboard } from './server.js';

/** The sources a dashboard reads, from the command's settings: playbook folders, run store, PM2 home. */
export async function dashboardData(opts: { io: CommandIO; graceMs: number }): Promise<{ data: DashboardData; pm2: Pm2Reader; close: () => void }> {
  const reader = await opts.io.store();
  const pm2 = new Pm2Reader(pm2Home(opts.io.env));
  const fleet = fleetSource(opts.io.env);
  const data = new DashboardData({ reader, pm2, dirs: opts.io.dirs(), env: opts.io.env, settings: opts.io.settings, graceMs: opts.graceMs, fleet });
  return { data, pm2, close: () => fleet?.close() };
}

export async function openDashboard(opts: { io: CommandIO; host: string; port: number; token?: string; intervalMs: number; graceMs: number }): Promise<Dashboard> {
  const { data, pm2, close } = await dashboardData(opts);
  try {
    return await startDashboard({ host: opts.host, port: opts.port, token: opts.token, data, intervalMs: opts.intervalMs, onClose: () => (pm2.close(), close()) });
  } catch (error) {
    pm2.close();
    close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new RunbookError('BAD_ARGUMENT', `port ${opts.port} on ${opts.host} is in use: choose another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new RunbookError('BAD_ARGUMENT', `--host ${opts.host}: not an address of this machine`);
    throw error;
  }
}
