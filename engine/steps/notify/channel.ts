import type { Alert, StepView } from '../../template/context.js';

export type RunStatusSoFar = 'OK' | 'WARNING' | 'CRITICAL';

/** Why a notification goes out now (see dedupe.ts). */
export type SendReason = 'every-run' | 'changed' | 'recovered' | 'reminder';

/** What every channel delivers: rendered and already passed through the redactor. */
export interface Notification {
  title: string;
  /** The step's own `message`, possibly empty. */
  message: string;
  /** The run's status from the alerts so far (the run itself is still RUNNING). */
  status: RunStatusSoFar;
  reason: SendReason;
  alerts: Alert[];
  playbook: { name: string; title: string };
  run: { id: string; started_at: string };
  host: string;
  /** The run so far (what the webhook channel posts). */
  steps: Record<string, StepView>;
}

export interface SendOptions<S> {
  notification: Notification;
  settings: S;
  /** Aborted at the step's timeout, on interrupt, or when this attempt takes too long. */
  signal: AbortSignal;
  timeoutMs: number;
  log(line: string): void;
}

/** One way to deliver a notification; the channels are a table in channels.ts. */
export interface Channel<S> {
  /** JSON Schema of the channel's settings under `channels:`. */
  schema: Record<string, unknown>;
  /** Why these settings cannot send, or undefined. */
  missing(settings: S): string | undefined;
  /**
   * Whether any of its settings is given (a recipient, a URL). A channel with none is skipped
   * quietly; one that is configured yet `missing` something is a warning. Default: not missing.
   */
  configured?(settings: S): boolean;
  /** Where it goes, for dry runs; never a URL, which may be a secret. */
  describe(settings: S): string;
  /** Setting values to mask should an error repeat them (webhook URLs). */
  secrets?(settings: S): (string | undefined)[];
  /** Delivers once; throws when it could not (the caller retries). */
  send(opts: SendOptions<S>): Promise<void>;
}
