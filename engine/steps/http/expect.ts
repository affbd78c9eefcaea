/**
 * What an `http-check` expects of the answer. Each check returns undefined when it holds, or
 * the reason it does not, in words an operator reads in a one-line alert.
 */
export type StatusSpec = number | string | (number | string)[];

/** `200`, `"200"`, or a class such as `"2xx"`. */
function statusMatches(status: number, spec: number | string): boolean {
  const text = String(spec).trim().toLowerCase();
  return /^[1-5]xx$/.test(text) ? Math.floor(status / 100) === Number(text[0]) : status === Number(text);
}

/** Each item a code from 100 to 599 or a class 1xx..5xx (templates render to text, hence strings). */
export function statusSpecValid(spec: StatusSpec): boolean {
  return (Array.isArray(spec) ? spec : [spec]).every((one) => /^([1-5]\d\d|[1-5]xx)$/i.test(String(one).trim()));
}

/** `2xx`, `200 or 204`: what the check accepts, in words. */
export function describeStatus(spec: StatusSpec = '2xx'): string {
  return (Array.isArray(spec) ? spec : [spec]).join(' or ');
}

export function statusProblem(status: number, spec: StatusSpec = '2xx'): string | undefined {
  const specs = Array.isArray(spec) ? spec : [spec];
  return specs.some((one) => statusMatches(status, one)) ? undefined : `expected ${describeStatus(spec)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Loose like the rest of runbook: `"1"` in a template matches `1` in the answer. */
function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) return expected === String(actual);
  return false;
}

/**
 * Subset match: every key of an expected object must match in the answer (other keys are
 * ignored); a list must have the same length, each item matching in turn. Returns the first
 * difference as "at data.status expected "up", got "down"".
 */
export function jsonProblem(expected: unknown, actual: unknown, at = 'json'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `at ${at} expected a list, got ${show(actual)}`;
    if (actual.length !== expected.length) return `at ${at} expected ${expected.length} items, got ${actual.length}`;
    for (const [i, item] of expected.entries()) {
      const problem = jsonProblem(item, actual[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `at ${at} expected an object, got ${show(actual)}`;
    for (const [key, item] of Object.entries(expected)) {
      if (!(key in actual)) return `at ${at}.${key} expected ${show(item)}, got nothing`;
      const problem = jsonProblem(item, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return sameScalar(expected, actual) ? undefined : `at ${at} expected ${show(expected)}, got ${show(actual)}`;
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
