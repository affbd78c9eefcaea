import type { ProcessDescription } from 'pm2';
import { CRASH_LOOP_DEFAULTS } from '../steps/pm2/inspect.js';
import { recentCrashes } from '../steps/pm2/exits.js';
import { daemonState } from '../steps/pm2/daemon.js';
import { processRow } from '../steps/pm2/processes.js';
import { connectRpc, listProcesses, type Pm2Rpc } from '../steps/pm2/rpc.js';
import { parseDuration } from '../duration.js';
import { errorMessage } from '../errors.js';

/** One PM2 process as the dashboard shows it. */
export interface Pm2ProcessView {
  name: string;
  pm_id: number;
  status: string;
  restarts: number;
  /** Crash restarts within the crash-loop window (pm2.log); null when pm2.log cannot tell. */
  recent_restarts: number | null;
  crash_loop: boolean;
  memory_bytes: number;
  cpu_percent: number;
  uptime_ms: number;
}

export interface Pm2View {
  home: string;
  /** `absent`: no daemon (every service is down); `denied`/`error`: we cannot look. */
  state: 'running' | 'absent' | 'denied' | 'error';
  message: string | null;
  processes: Pm2ProcessView[];
}

const CALL_TIMEOUT_MS = 5000;

/**
 * Reads the PM2 daemon's process list over its RPC socket (engine/steps/pm2/rpc.ts), not
 * through pm2's API module: that costs memory the dashboard does not need, and it starts a
 * daemon when none answers, which a read-only view must never do. One connection, kept while the
 * dashboard runs; it reconnects by itself when the daemon restarts.
 */
export class Pm2Reader {
  readonly home: string;
  private client: Promise<Pm2Rpc> | undefined;

  constructor(home: string) {
    this.home = home;
  }

  private async list(): Promise<ProcessDescription[]> {
    this.client ??= connectRpc(this.home);
    try {
      return await listProcesses(await this.client, { home: this.home, timeoutMs: CALL_TIMEOUT_MS });
    } catch (error) {
      this.close(); // a wedged or restarting daemon: start afresh next time
      throw error;
    }
  }

  async read(): Promise<Pm2View> {
    const view = { home: this.home, processes: [] };
    const daemon = daemonState(this.home);
    if (daemon.state !== 'running') {
      this.close();
      return { ...view, state: daemon.state, message: daemon.message };
    }
    try {
      const now = Date.now();
      const [procs, crashes] = await Promise.all([
        this.list(),
        recentCrashes({ home: this.home, withinMs: parseDuration(CRASH_LOOP_DEFAULTS.within), now }),
      ]);
      const processes = procs.map((proc) => {
        const row = processRow(proc, now);
        const recent = crashes ? crashes.get(`${row.name}:${row.pm_id}`) ?? 0 : null;
        return { ...row, recent_restarts: recent, crash_loop: recent !== null && recent > CRASH_LOOP_DEFAULTS.restarts };
      });
      return { ...view, state: 'running', message: null, processes };
    } catch (error) {
      return { ...view, state: 'error', message: errorMessage(error) };
    }
  }

  close(): void {
    void this.client?.then((client) => client.sock.close(), () => {});
    this.client = undefined;
  }
}
