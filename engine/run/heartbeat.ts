import { withoutCredentials } from '../steps/http/request.js';
import type { RunObserver } from './runner.js';

/** A heartbeat must never hold a run up for long: the monitoring side notices a late ping anyway. */
export const HEARTBEAT_TIMEOUT_MS = 5000;

/** Why a ping failed, never with the URL (fetch's own messages quote it, token and all). */
function why(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if ((error as { name?: string }).name === 'TimeoutError') return `no answer within ${HEARTBEAT_TIMEOUT_MS / 1000}s`;
  return cause ?? (error instanceof Error ? error.message : String(error)).replace(/\S+:\/\/\S*/g, '<url>');
}

/**
 * The dead-man's switch (healthchecks.io semantics): GET `URL/start` when the run starts, then
 * `URL` when it ends OK or WARNING (it ran; alerts travel by notify) or `URL/fail` when it ends
 * CRITICAL or UNKNOWN. Only the top-level run pings: a nested playbook is part of its caller.
 * Errors are thrown for the runner to note; they never change the run's result. Messages leave
 * the URL out, as it usually holds a secret token.
 */
export function heartbeatObserver(template: string): RunObserver {
  let url = '';
  const ping = async (suffix: string) => {
    if (!url) return;
    try {
      // A URL with user:password@ becomes a Basic Authorization header, as fetch refuses it.
      const target = withoutCredentials(new URL(`${url}${suffix}`), {});
      const response = await fetch(target.url, { headers: target.headers, signal: AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw new Error(`heartbeat ping ${suffix || '(success)'} failed: ${why(error)}`);
    }
  };
  return {
    async started({ record, render }) {
      if (record.parent_run_id) return;
      // An optional env that is unset renders empty: no heartbeat for this run.
      url = render(template).trim().replace(/\/+$/, '');
      if (url && !/^https?:\/\//.test(url)) {
        url = '';
        throw new Error('heartbeat is not an http(s) URL: not pinged');
      }
      await ping('/start');
    },
    async finished({ record }) {
      if (record.parent_run_id) return;
      await ping(record.status === 'OK' || record.status === 'WARNING' ? '' : '/fail');
    },
  };
}
