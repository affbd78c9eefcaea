import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, ClientConfig } from 'pg';
import { errorMessage } from '../../errors.js';
import { StepFailure } from '../failure.js';
import { describeFailure } from './failure.js';
import { jsonFriendlyTypes } from './results.js';

const CONNECTION_STRING = /^postgres(ql)?:\/\//i;
// libpq's own variables, read from the step's environment (pg alone would read only process.env).
const LIBPQ_VARIABLES = { PGHOST: 'host', PGPORT: 'port', PGUSER: 'user', PGPASSWORD: 'password', PGDATABASE: 'database' } as const;
// Where libpq looks for the server's socket when PGHOST is unset: Debian's folder, then upstream's.
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];
// Without a step timeout, a server that accepts TCP but never answers must still not hang the run.
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
// The server cancels a statement this long before the step's deadline, so the operator reads the
// server's own "statement timeout" error and the server stops working on it; the client-side
// deadline (the step's abort signal) stays the backstop for a server that does not answer.
const SERVER_FIRST_MAX_MS = 1000;
// How long a cancel request may take before its socket is dropped (an unreachable server).
const CANCEL_GRACE_MS = 2000;

/** True for `postgres://...` and `postgresql://...`, the forms `database` and DATABASE_URL take. */
export function isConnectionString(text: string): boolean {
  return CONNECTION_STRING.test(text.trim());
}

/** Where a step connects: pg settings plus the name of their source, for messages. */
export interface Connection {
  config: ClientConfig;
  source: string;
}

/**
 * `database`, else DATABASE_URL, else what psql would use: the libpq PG* variables, and for what
 * they leave out libpq's defaults (the local socket, port 5432, the current user, a database
 * named after the user). pg alone would default to TCP on localhost and read only process.env.
 */
export function chooseConnection(database: string | undefined, env: Record<string, string | undefined>): Connection {
  const candidates: [string, string | undefined][] = [['`database`', database], ['DATABASE_URL', env.DATABASE_URL]];
  for (const [source, text] of candidates) {
    if (!text?.trim()) continue;
    if (!isConnectionString(text)) throw new StepFailure(`${source} is not a PostgreSQL connection string (expected postgres://user@host:5432/name)`);
    return { config: { connectionString: text.trim() }, source };
  }
  const config: Record<string, string> = {};
  for (const [variable, key] of Object.entries(LIBPQ_VARIABLES)) {
    const value = env[variable];
    if (value) config[key] = value;
  }
  const given = Object.keys(LIBPQ_VARIABLES).filter((variable) => env[variable]);
  const port = config.port ?? '5432';
  config.host ??= SOCKET_DIRS.find((dir) => existsSync(path.join(dir, `.s.PGSQL.${port}`))) ?? 'localhost';
  config.user ??= os.userInfo().username;
  config.database ??= config.user;
  return { config, source: given.length ? `${given.join(', ')} and libpq's defaults` : "libpq's defaults, as psql (no DATABASE_URL, no PG* variables)" };
}

export interface SessionOptions {
  connection: Connection;
  /** When the step's time runs out (epoch ms), if it has a timeout. */
  deadline?: number;
  signal: AbortSignal;
  applicationName: string;
  onNotice(line: string): void;
  /** The step's `timeout`, for messages. */
  timeout?: string;
}

type Pg = typeof import('pg').default;

// What pg has at run time but does not type: the backend's key, and the raw protocol connection.
interface BackendKey { processID: number | null; secretKey: number | null }
interface RawConnection { stream: { destroy(): void }; connect(...where: (string | number)[]): void; cancel(pid: number, key: number): void }

/**
 * Asks the server to cancel the client's running statement, as pg's own `Client.cancel` does
 * (a CancelRequest on a new socket): ending the client alone would leave the server working.
 */
function cancelOnServer(pg: Pg, client: Client): void {
  const { processID, secretKey } = client as unknown as BackendKey;
  if (processID === null || secretKey === null) return;
  const raw = new pg.Connection() as unknown as RawConnection & NodeJS.EventEmitter;
  raw.on('error', () => {});
  raw.on('connect', () => raw.cancel(processID, secretKey));
  setTimeout(() => raw.stream.destroy(), CANCEL_GRACE_MS).unref();
  if (client.host.startsWith('/')) raw.connect(`${client.host}/.s.PGSQL.${client.port}`);
  else raw.connect(client.port, client.host);
}

/** `host:port/database as user`, never the password. */
function targetOf(client: Client): string {
  return `${client.host}:${client.port}/${client.database} as ${client.user}`;
}

/**
 * Opens one client, runs `work` with it and always ends it. When the signal aborts (the step's
 * timeout or an interrupt) the client is ended at once: pg destroys the socket of a running
 * query, so neither the step nor the process waits on the server. Every failure becomes one line.
 */
export async function withSession<T>(opts: SessionOptions, work: (client: Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg'); // heavy: only when a playbook runs a sql step
  const remaining = opts.deadline === undefined ? undefined : Math.max(1, opts.deadline - Date.now());
  let client: Client;
  try {
    client = new pg.Client({
      ...opts.connection.config,
      fallback_application_name: opts.applicationName,
      connectionTimeoutMillis: Math.max(1, Math.min(DEFAULT_CONNECT_TIMEOUT_MS, remaining ?? Infinity)),
      ...(remaining === undefined ? {} : { statement_timeout: Math.max(1, Math.round(remaining - Math.min(SERVER_FIRST_MAX_MS, remaining / 10))) }),
      types: jsonFriendlyTypes(pg.types),
    });
  } catch (error) {
    throw new StepFailure(`${opts.connection.source} could not be used: ${errorMessage(error)}`);
  }
  // An error on an idle client also reaches the pending call; unhandled, it would crash runbook.
  client.on('error', () => {});
  client.on('notice', (notice) => opts.onNotice(`${notice.severity ?? 'NOTICE'}: ${notice.message}`));

  let onAbort = () => {};
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      cancelOnServer(pg, client);
      const why = typeof opts.signal.reason === 'string' ? ` (${opts.signal.reason})` : '';
      reject(new StepFailure(`stopped${why}: the connection to PostgreSQL was closed`));
    };
  });
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([client.connect().then(() => work(client)), stopped]);
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    throw new StepFailure(describeFailure(error, { target: `${targetOf(client)} (from ${opts.connection.source})`, timeout: opts.timeout }));
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    const ending = client.end().catch(() => {});
    // A connect still in progress ends only when pg's connect timeout fires: do not wait for it.
    if (!opts.signal.aborted) await ending;
  }
}
