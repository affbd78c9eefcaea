import path from 'node:path';
import type { ProcessDescription } from 'pm2';
import { NoDaemonError } from './daemon.js';
import type { Pm2Session } from './session.js';

interface AxonSocket {
  on(event: string, fn: (error: Error & { code?: string }) => void): void;
  once(event: string, fn: (error: Error & { code?: string }) => void): void;
  removeAllListeners(event: string): void;
  connect(file: string): void;
  close(): void;
}

/** A connection to the PM2 daemon's RPC socket. */
export interface Pm2Rpc {
  sock: AxonSocket;
  call(method: string, arg: object, cb: (error: Error | null, result: ProcessDescription[]) => void): void;
}

// What the daemon being gone looks like on its socket (axon retries these by itself).
const GONE = new Set(['ECONNREFUSED', 'ENOENT']);

/**
 * Connects to the daemon of `home` with pm2's own small socket modules (what `pm2 jlist` ends up
 * using), not its API module: that costs ~60 ms and ~15 MB to load, and starts a daemon when
 * none answers, which a read-only look must never do. Calls made before the socket connects wait
 * for it; a refused connection is retried by the socket.
 */
export async function connectRpc(home: string): Promise<Pm2Rpc> {
  // pm2's own socket modules, bundled (scripts/build.mjs): what `pm2 jlist` ends up using. Loaded
  // here, not with the step types: a playbook without a pm2 step never loads them.
  const [{ default: axonModule }, { default: axonRpc }] = await Promise.all([import('pm2/modules/pm2-axon'), import('pm2/modules/pm2-axon-rpc')]);
  const axon = axonModule as { socket(kind: string): AxonSocket };
  const { Client } = axonRpc as { Client: new (sock: AxonSocket) => Pm2Rpc };
  const req = axon.socket('req');
  const client = new Client(req);
  req.on('error', () => {}); // errors axon does not retry end the call that is waiting, by its timeout
  req.connect(path.join(home, 'rpc.sock'));
  return client;
}

/** The daemon's process list, as `pm2 jlist` prints it; rejects after `timeoutMs` or when `signal` aborts. */
export function listProcesses(rpc: Pm2Rpc, opts: { home: string; timeoutMs?: number; signal?: AbortSignal }): Promise<ProcessDescription[]> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, list?: ProcessDescription[]) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      rpc.sock.removeAllListeners('ignored error');
      if (error) reject(error);
      else resolve(list ?? []);
    };
    const timer = opts.timeoutMs === undefined ? undefined
      : setTimeout(() => done(new Error(`the PM2 daemon under ${opts.home} did not answer within ${opts.timeoutMs! / 1000}s`)), opts.timeoutMs);
    const onAbort = () => done(new Error(String(opts.signal?.reason ?? 'stopped')));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // The daemon died after its files were looked at: say so, as the step does when there is none.
    rpc.sock.once('ignored error', (error) => {
      if (error.code && GONE.has(error.code)) done(new NoDaemonError(opts.home));
    });
    rpc.call('getMonitorData', {}, done);
  });
}

/**
 * A read-only session (list, describe, logs) over the RPC socket: the step's timeout bounds the
 * call, and the connection is closed after `work` so the CLI can exit.
 */
export async function withPm2Rpc<T>(opts: { home: string; signal: AbortSignal }, work: (session: Pm2Session) => Promise<T>): Promise<T> {
  const rpc = await connectRpc(opts.home);
  try {
    return await work({
      home: opts.home,
      list: () => listProcesses(rpc, opts),
      command: (name) => Promise.reject(new Error(`pm2 ${name} needs pm2's API: a read-only session cannot run it`)),
    });
  } finally {
    rpc.sock.close();
  }
}
