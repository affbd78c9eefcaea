import { bodySnippet, httpRequest } from '../http/request.js';

/** POSTs `payload` as JSON; throws a one-line error unless the answer is 2xx. */
export async function postJson(opts: { url: string; payload: unknown; headers?: Record<string, string>; signal: AbortSignal; timeoutMs: number }): Promise<void> {
  const response = await httpRequest({
    url: opts.url,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...opts.headers },
    body: JSON.stringify(opts.payload),
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  });
  if (response.status < 200 || response.status > 299) {
    const snippet = bodySnippet(response.body);
    throw new Error(`HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`);
  }
}
