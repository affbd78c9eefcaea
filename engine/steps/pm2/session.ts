import type { ProcessDescription } from 'pm2';
import { NoDaemonError } from './daemon.js';

type Callback<T> = (error: Error | null, result: T) => void;

/** The part of pm2's programmatic API the step uses (its typings do not cover `custom`). */
interface Pm2Api {
  connect(cb: (error: Error | null) => void): void;
  disconnect(cb: () => void): void;
  list(cb: Callback<ProcessDescription[]>): void;
  stop(target: string, cb: Callback<unknown>): void;
  restart(target: string, cb: Callback<unknown>): void;
  reload(target: string, cb: Callback<unknown>): void;
  delete(target: string, cb: Callback<unknown>): void;
  flush(target: string | undefined, cb: Callback<unknown>): void;
  dump(cb: Callback<unknown>): void;
  resurrect(cb: Callback<unknown>): void;
  Client: { launchDaemon(cb: (error: Error) => void): void };
}

type Pm2Module = { default: { custom: new (opts: { pm2_home: string }) => Pm2Api } };

/** A pm2 command on a target (a name, a pm_id, or `all`), as `pm2 <command> <target>` runs it. */
export type Pm2Command = 'stop' | 'restart' | 'reload' | 'delete' | 'flush' | 'dump' | 'resurrect';

export interface Pm2Session {
  home: string;
  list(): Promise<ProcessDescription[]>;
  command(name: Pm2Command, target?: string): Promise<void>;
}

function promised<T>(call: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, result) => (error ? reject(error) : resolve(result))));
}

/**
 * pm2 reads its home from the environment when it is imported, its daemon inherits this
 * process's environment, and it prints to stdout unless `PM2_PROGRAMMATIC` is set: set both
 * for the session only, and put back what was there.
 */
function scopedEnv(home: string): () => void {
  const saved = { PM2_HOME: process.env.PM2_HOME, PM2_PROGRAMMATIC: process.env.PM2_PROGRAMMATIC };
  Object.assign(process.env, { PM2_HOME: home, PM2_PROGRAMMATIC: 'true' });
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Connects to the PM2 daemon of `home`, runs `work`, and always disconnects so the CLI can exit.
 * pm2 spawns a daemon when none answers; unless `mayStartDaemon`, that spawn is refused, so a
 * daemon that died after `daemonState` looked still reads as "not running".
 */
export async function withPm2<T>(opts: { home: string; mayStartDaemon: boolean }, work: (session: Pm2Session) => Promise<T>): Promise<T> {
  const restoreEnv = scopedEnv(opts.home);
  try {
    const pm2 = ((await import('pm2')) as unknown as Pm2Module).default;
    const api = new pm2.custom({ pm2_home: opts.home });
    if (!opts.mayStartDaemon) {
      api.Client.launchDaemon = (cb) => cb(new NoDaemonError(opts.home));
    }
    await promised<void>((cb) => api.connect((error) => cb(error, undefined)));
    try {
      return await work({
        home: opts.home,
        list: () => promised((cb) => api.list(cb)),
        command: async (name, target) => {
          if (name === 'dump' || name === 'resurrect') await promised((cb) => api[name](cb));
          // `pm2 flush` with no name flushes every log (and pm2.log); a name `all` would match none.
          else if (name === 'flush') await promised((cb) => api.flush(target === 'all' ? undefined : target, cb));
          else await promised((cb) => api[name](target!, cb));
        },
      });
    } finally {
      await new Promise<void>((resolve) => api.disconnect(() => resolve()));
    }
  } finally {
    restoreEnv();
  }
}
