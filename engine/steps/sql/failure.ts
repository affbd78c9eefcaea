import { errorMessage } from '../../errors.js';

/** What a message may say about where the step was: never the password. */
export interface FailureContext {
  /** `host:port/database as user (from DATABASE_URL)`. */
  target: string;
  timeout?: string;
}

/** An error of one statement, with its text (a position in it becomes a line and column). */
export class StatementError extends Error {
  constructor(readonly error: unknown, readonly statement: string, readonly label: string) {
    super(errorMessage(error));
  }
}

/** The fields of pg's DatabaseError (a server ErrorResponse) and Node's socket errors we read. */
interface PgError {
  code?: string;
  message: string;
  severity?: string;
  position?: string;
  hint?: string;
}

type Kind = 'refused' | 'unknown_host' | 'unreachable' | 'no_answer' | 'lost' | 'no_password'
  | 'bad_password' | 'rejected' | 'unknown_database' | 'cancelled' | 'positioned' | 'server' | 'other';

const SOCKET_KINDS: Record<string, Kind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unknown_host',
  EAI_AGAIN: 'unknown_host',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ETIMEDOUT: 'no_answer',
  ECONNRESET: 'lost',
  EPIPE: 'lost',
};

const SERVER_KINDS: Record<string, Kind> = {
  '28P01': 'bad_password',
  '28000': 'rejected',
  '3D000': 'unknown_database',
  '57014': 'cancelled',
};

function kindOf(error: PgError): Kind {
  if (error.code && SOCKET_KINDS[error.code]) return SOCKET_KINDS[error.code]!;
  if (error.severity) return SERVER_KINDS[error.code ?? ''] ?? (error.position ? 'positioned' : 'server');
  // pg's own wording: its connect timeout, a socket closed under it, SCRAM without a password.
  if (error.message === 'timeout expired') return 'no_answer';
  if (/^Connection terminated/.test(error.message)) return 'lost';
  if (/^SASL: .*password must be a string/.test(error.message)) return 'no_password';
  return 'other';
}

/** `line 2, column 5` of a 1-based character position in `query`. */
export function lineAndColumn(query: string, position: number): string {
  const before = [...query].slice(0, position - 1).join('').split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

const CREDENTIALS = 'DATABASE_URL, PGPASSWORD or ~/.pgpass';

type Where = FailureContext & { statement?: StatementError };

const MESSAGES: Record<Kind, (error: PgError, at: Where) => string> = {
  refused: (_, at) => `cannot connect to PostgreSQL at ${at.target}: connection refused (is the server running and listening there?)`,
  unknown_host: (_, at) => `cannot connect to PostgreSQL at ${at.target}: host not found`,
  unreachable: (_, at) => `cannot connect to PostgreSQL at ${at.target}: host unreachable`,
  no_answer: (_, at) => `cannot connect to PostgreSQL at ${at.target}: no answer in time`,
  lost: (_, at) => `the connection to PostgreSQL at ${at.target} was closed by the server or the network`,
  no_password: (_, at) => `authentication failed at ${at.target}: the server asks for a password and none was given (set it in ${CREDENTIALS})`,
  bad_password: (error, at) => `authentication failed at ${at.target}: ${error.message} (check the password in ${CREDENTIALS})`,
  rejected: (error, at) => `authentication failed at ${at.target}: ${error.message}`,
  unknown_database: (error, at) => `unknown database at ${at.target}: ${error.message}`,
  cancelled: (error, at) => `query cancelled: ${error.message}${at.timeout ? ` (the step's timeout is ${at.timeout})` : ''}`,
  positioned: (error, at) => at.statement
    ? `${error.message} at ${lineAndColumn(at.statement.statement, Number(error.position))} of ${at.statement.label} (SQLSTATE ${error.code})`
    : `${error.message} (SQLSTATE ${error.code})`,
  server: (error) => `${error.message} (SQLSTATE ${error.code})${error.hint ? `; hint: ${error.hint}` : ''}`,
  other: (error) => error.message || `unexpected error${error.code ? ` (${error.code})` : ''}`,
};

/**
 * One line saying what went wrong, built from the error's code and our own words. The server's
 * message is kept (it names the role, database or token) but not its detail, which may quote data.
 */
export function describeFailure(error: unknown, at: FailureContext): string {
  const statement = error instanceof StatementError ? error : undefined;
  const cause = statement ? statement.error : error;
  const pgError: PgError = cause instanceof Error ? (cause as PgError) : { message: String(cause) };
  return errorMessage(MESSAGES[kindOf(pgError)](pgError, { ...at, statement }));
}
