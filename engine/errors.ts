/** Exit codes follow the Nagios plugin convention (see README). */
export const EXIT = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;

/**
 * The stable error codes of runbook. Each names what went wrong; the message says what to do.
 * Every code that stops a run before it could do its work is UNKNOWN (exit 3).
 */
export type ErrorCode =
  | 'INVALID_PLAYBOOK'
  | 'UNKNOWN_PLAYBOOK'
  | 'BAD_ARGUMENT'
  | 'MISSING_PARAM'
  | 'MISSING_ENV'
  | 'LOCK_HELD'
  | 'APPROVAL_MISSING'
  | 'INTERRUPTED'
  | 'TEMPLATE'
  | 'UNKNOWN_RUN'
  | 'CRONTAB'
  /** The fleet database (RUNBOOK_FLEET_URL) could not be reached or used. */
  | 'FLEET_UNREACHABLE'
  /** A file runbook keeps (its state, a record, a report) could not be written: a full disk, a read-only mount. */
  | 'WRITE_FAILED';

/** The one error class of runbook: a code, a one-line message, and an exit code. */
export class RunbookError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** Extra lines shown under the message (e.g. every validation problem). */
  readonly details: string[];

  constructor(code: ErrorCode, message: string, opts: { details?: string[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'RunbookError';
    this.code = code;
    this.exitCode = EXIT.UNKNOWN;
    this.details = opts.details ?? [];
  }
}

/** The message of anything thrown, on one line. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
