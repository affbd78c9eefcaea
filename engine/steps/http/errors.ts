/**
 * One-line messages for a request that got no answer. Node's fetch (undici) throws
 * `TypeError: fetch failed` and hides the reason in `cause.code`: classify the error to a tag,
 * then look the tag up, so an operator reads "connection refused", not "fetch failed".
 */
type Tag = 'timeout' | 'aborted' | 'refused' | 'dns' | 'tls' | 'reset' | 'other';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
// OpenSSL's own lines read PID:error:CODE:LIBRARY:FUNCTION:REASON:FILE:LINE: keep the reason.
const OPENSSL_REASON = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/;
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|EPROTO$)/;

interface Classified {
  tag: Tag;
  detail: string;
}

function classify(error: unknown): Classified {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? '';
  const detail = (err.cause?.message ?? err.message ?? String(error)).split('\n')[0]!.trim();
  if (err.name === 'TimeoutError') return { tag: 'timeout', detail };
  if (err.name === 'AbortError') return { tag: 'aborted', detail };
  if (code === 'ECONNREFUSED') return { tag: 'refused', detail };
  if (DNS_CODES.has(code)) return { tag: 'dns', detail };
  if (TLS_CODE.test(code)) return { tag: 'tls', detail: OPENSSL_REASON.exec(detail)?.[1] ?? detail };
  if (RESET_CODES.has(code)) return { tag: 'reset', detail };
  return { tag: 'other', detail };
}

const MESSAGES: Record<Tag, (where: URL, detail: string, timeout: string) => string> = {
  timeout: (_, __, timeout) => `no answer within ${timeout} (timeout)`,
  aborted: () => 'stopped before an answer came',
  refused: (where) => `connection refused: nothing listens on ${where.host}`,
  dns: (where) => `DNS lookup failed: no address for ${where.hostname}`,
  tls: (_, detail) => `TLS error: ${detail}`,
  reset: (_, detail) => `connection closed without an answer (${detail})`,
  other: (_, detail) => detail,
};

/** Why a request failed, in one line without the request's path or query (they may hold tokens). */
export function fetchErrorMessage(error: unknown, opts: { url: URL; timeout: string }): string {
  const { tag, detail } = classify(error);
  return MESSAGES[tag](opts.url, detail, opts.timeout);
}
