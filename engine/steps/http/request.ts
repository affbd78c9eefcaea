import { formatDuration } from '../../duration.js';
import { deadline } from './deadline.js';
import { fetchErrorMessage } from './errors.js';

/** Bodies are kept up to this size: a health endpoint that streams a log must not fill memory. */
export const BODY_LIMIT = 64 * 1024;

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The step's signal: aborted at the step's timeout or on interrupt. */
  signal: AbortSignal;
  /** This request's own limit, so a server that never answers cannot hang a step without `timeout:`. */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
  truncated: boolean;
  /** From sending the request to the end of the (bounded) body. */
  latencyMs: number;
}

/** A request that got no answer; the message is one line and never holds the URL's path. */
export class RequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestError';
  }
}

/** fetch refuses URLs with credentials: move `user:pass@` into a Basic Authorization header. */
export function withoutCredentials(url: URL, headers: Record<string, string>): { url: URL; headers: Record<string, string> } {
  if (!url.username && !url.password) return { url, headers };
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  const token = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  const hasAuth = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  return { url: bare, headers: hasAuth ? headers : { ...headers, Authorization: `Basic ${token}` } };
}

async function readBounded(response: Response): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: Buffer.concat(chunks).toString('utf8'), truncated: false };
    chunks.push(value);
    size += value.byteLength;
    if (size > BODY_LIMIT) {
      await reader.cancel();
      return { body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8'), truncated: true };
    }
  }
}

/** One HTTP request through Node's own fetch; throws RequestError when no answer came. */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  let parsed: URL;
  try {
    parsed = new URL(req.url);
  } catch {
    throw new RequestError('not a valid URL (it must start with http:// or https://)');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new RequestError(`unsupported URL scheme ${parsed.protocol} (use http or https)`);
  const { url, headers } = withoutCredentials(parsed, req.headers ?? {});
  const limit = deadline(req.signal, req.timeoutMs);
  const started = performance.now();
  try {
    const response = await fetch(url, { method: req.method ?? 'GET', headers, body: req.body, signal: limit.signal, redirect: 'follow' });
    const { body, truncated } = await readBounded(response);
    return {
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get('content-type') ?? '',
      body,
      truncated,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw new RequestError(fetchErrorMessage(error, { url, timeout: formatDuration(req.timeoutMs) }), { cause: error });
  } finally {
    limit.clear();
  }
}

/** The first line of a body, short enough for a one-line message. */
export function bodySnippet(body: string, max = 100): string {
  const line = body.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
