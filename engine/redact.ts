/**
 * The one redactor: every way out of runbook (progress, errors, reports, history, logs,
 * notifications) passes through it. It masks declared secret values and the password part of
 * any connection string or URL.
 */
export const MASK = '***';

// The password of scheme://user:password@host: greedy up to the last @ before the host, since
// passwords may hold @ themselves; and NAME=value forms: libpq's password=..., PGPASSWORD=...
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s/]+)@/gi;
const KEYWORD_PASSWORD = /\b(\w*password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']+)/gi;

/**
 * A secret as it may appear: raw, URL-encoded (a query string, a form body: `%20` or `+` for a
 * space) and escaped inside a JSON string (a `"` or `\\` in it).
 */
function encodedForms(secret: string): string[] {
  const url = encodeURIComponent(secret);
  return [secret, url, url.replaceAll('%20', '+'), JSON.stringify(secret).slice(1, -1)];
}

export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    // Output arrives a line at a time, so each line of a multi-line secret (a PEM key) is one too.
    // Longest first so a secret containing another is masked whole; tiny values would mask noise.
    const all = [...secrets].flatMap((secret) => [secret, ...secret.split('\n').map((line) => line.trim())]).flatMap(encodedForms);
    this.secrets = [...new Set(all.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /** A redactor that also masks `more`. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }

  text(value: string): string {
    let out = value.replace(URL_PASSWORD, `$1${MASK}@`).replace(KEYWORD_PASSWORD, `$1${MASK}`);
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }

  /** A deep copy of `value` with every string redacted. */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.deep(item)) as T;
    if (value && typeof value === 'object') {
      // Keys are output too (a secret can be a JSON key). Two keys that mask alike stay apart;
      // fromEntries keeps a `__proto__` key an own key, where `out[key] =` would set the prototype.
      const seen = new Set<string>();
      const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
        let masked = this.text(key);
        for (let n = 2; seen.has(masked); n++) masked = `${this.text(key)} (${n})`;
        seen.add(masked);
        return [masked, this.deep(item)];
      });
      return Object.fromEntries(entries) as T;
    }
    return value;
  }
}
