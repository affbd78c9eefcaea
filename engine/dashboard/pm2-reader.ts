import type { ProcessDescription } from 'pm2';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CRASH_LOOP_DEFAULTS } from '../steps/pm2/inspect.js';
import { recentCrashes } from '../steps/pm2/exits.js';
import { daemonState } from '../steps/pm2/daemon.js';
import { processRow } from '../steps/pm2/processes.js';
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

interface RpcClient {
  sock: { on(event: string, fn: (error: Error) => void): void; close(): void };
  call(method: string, arg: object, cb: (error: Error | null, result: ProcessDescription[]) => void): void;
}

const CALL_TIMEOUT_MS = 5000;
const load = createRequire(import.meta.url);

/**
 * Reads the PM2 daemon's process list over its RPC socket with pm2's own small socket modules,
 * not its API module: that costs memory the dashboard does not need, and it starts a daemon
 * when none answers, which a read-only view must never do. One connection, kept while the
 * dashboard runs; it reconnects by itself when the daemon restarts.
 */
export class Pm2Reader {
  readonly home: string;
  private client: RpcClient | undefined;

  constructor(home: string) {
    this.home = home;
  }

  private connect(): RpcClient {
    if (this.client) return this.client;
    const axon = load('pm2/modules/pm2-axon') as { socket(kind: string): { connect(file: string): void } };
    const Client = load('pm2/modules/pm2-axon-rpc').Client as new (sock: unknown) => RpcClient;
    const req = axon.socket('req');
    const client = new Client(req);
    client.sock.on('error', () => {}); // refused while the daemon restarts: the socket retries
    req.connect(path.join(this.home, 'rpc.sock'));
    this.client = client;
    return client;
  }

  private list(): Promise<ProcessDescription[]> {
    const client = this.connect();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close(); // a wedged daemon: start afresh next time
        reject(new Error(`the PM2 daemon under ${this.home} did not answer within ${CALL_TIMEOUT_MS / 1000}s`));
      }, CALL_TIMEOUT_MS);
      client.call('getMonitorData', {}, (error, list) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(list);
      });
    });
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
    this.client?.sock.close();
    this.client = undefined;
  }
}
