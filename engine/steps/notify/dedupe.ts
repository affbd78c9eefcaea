import type { Alert } from '../../template/context.js';
import type { PreviousRunView, StepState } from '../types.js';
import type { SendReason } from './channel.js';

/**
 * `on_change` and `repeat`: an hourly check pages once when swap crosses 20%, once when it
 * crosses 80%, once when it recovers, and again about the same alerts only after `repeat`.
 */

/** What a notify step last delivered to one channel. */
export interface SentState {
  /** Alert keys, see alertKeys. */
  alerts: string[];
  sent_at: string;
  run_id: string;
}

/** "swap:warn": the identity of an alert. Its message holds a reading that changes every run: it does not count. */
export function alertKeys(alerts: Pick<Alert, 'step' | 'level'>[]): string[] {
  return [...new Set(alerts.map((alert) => `${alert.step}:${alert.level}`))].sort();
}

/** The step's own saved state: what it last sent, by channel name. */
export function readSent(state: StepState): Record<string, SentState> {
  const saved = state.read();
  return saved && typeof saved === 'object' ? (saved as Record<string, SentState>) : {};
}

/**
 * The alerts of the previous run, counting only the steps before this one (as now). The step's
 * own state cannot tell this: with `when: on-alert` it does not run in an OK run, and a new
 * incident after such a recovery must page again.
 */
export function previousRunAlerts(previous: PreviousRunView | undefined, step: { id?: string; name: string }): string[] {
  return previous ? alertKeys(previous.alertsBefore(step)) : [];
}

export type Decision = { send: true; reason: SendReason } | { send: false; why: string };

const same = (a: string[], b: string[]) => a.join('\n') === b.join('\n');

export function decide(opts: {
  onChange: boolean;
  /** The `repeat` duration as written, and in ms. */
  repeat?: { text: string; ms: number };
  current: string[];
  previousRun: string[];
  lastSent: SentState | undefined;
  now: Date;
}): Decision {
  const { current, lastSent } = opts;
  if (!opts.onChange) return { send: true, reason: 'every-run' };
  // Against the last run: a change. Against the last sent: a change whose message never got out.
  if (!same(current, opts.previousRun) || !same(current, lastSent?.alerts ?? [])) {
    return { send: true, reason: current.length ? 'changed' : 'recovered' };
  }
  if (!current.length) return { send: false, why: 'no alerts, as in the last run (on_change)' };
  const since = opts.now.getTime() - Date.parse(lastSent!.sent_at);
  if (opts.repeat && since >= opts.repeat.ms) return { send: true, reason: 'reminder' };
  const reminder = opts.repeat ? `; reminder ${opts.repeat.text} after that` : '';
  return { send: false, why: `same alerts as the last run (${current.join(', ')}), sent at ${lastSent!.sent_at}${reminder} (on_change)` };
}
