import { formatDuration, isDuration, parseDuration } from '../duration.js';
import type { HttpCheckStep } from '../playbook/types.generated.js';
import { hasTemplate } from '../template/render.js';
import { StepFailure } from './failure.js';
import { describeStatus, jsonProblem, parseJsonBody, statusProblem, statusSpecValid } from './http/expect.js';
import { BODY_LIMIT, bodySnippet, httpRequest, RequestError } from './http/request.js';
import type { Level, StepType } from './types.js';

// Without a step `timeout`, a server that accepts the connection and never answers would hold the run.
const DEFAULT_TIMEOUT = '10s';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const DURATION_TEXT = { type: 'string', description: 'A duration: 200ms, 2s' };

/** Where the request went, without credentials or query (either may hold a token). */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/** The request body: a list or object is sent as JSON. */
function requestBody(step: HttpCheckStep): { body?: string; headers: Record<string, string> } {
  const headers = { ...step.headers };
  if (step.body === undefined || typeof step.body === 'string') return { body: step.body, headers };
  const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  return { body: JSON.stringify(step.body), headers: typed ? headers : { ...headers, 'Content-Type': 'application/json' } };
}

function latencyLevel(ms: number, latency: HttpCheckStep['latency']): { level: Level; limit?: string } {
  for (const [level, limit] of [['critical', latency?.critical], ['warn', latency?.warn]] as const) {
    if (limit !== undefined && ms > parseDuration(limit)) return { level, limit };
  }
  return { level: 'ok' };
}

export const httpCheck: StepType<HttpCheckStep> = {
  summary: 'Requests a URL and checks the answer: status, JSON values, text, and how long it took.',
  schema: {
    properties: {
      url: { type: 'string', minLength: 1, description: 'http:// or https:// URL; user:pass@ becomes a Basic Authorization header' },
      method: { enum: METHODS, default: 'GET', description: 'The HTTP method; anything but GET, HEAD, OPTIONS counts as changing the machine' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers' },
      body: { type: ['string', 'object', 'array'], description: 'Request body; an object or a list is sent as JSON' },
      expect: {
        type: 'object',
        additionalProperties: false,
        description: 'What the answer must be; a mismatch fails the step (and `retries` tries again)',
        properties: {
          status: { type: ['integer', 'string', 'array'], items: { type: ['integer', 'string'] }, minItems: 1, description: 'Status code(s) such as 200 or "2xx", or a list of them (default 2xx)' },
          json: { description: 'Subset match: these keys and values must be in the JSON answer, e.g. { ok: true }' },
          body_contains: { type: 'string', description: 'Text the body must contain' },
        },
      },
      latency: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        description: 'Slower answers make the step warn or critical (the step still succeeds)',
        properties: { warn: DURATION_TEXT, critical: DURATION_TEXT },
      },
    },
    required: ['url'],
  },
  templates: { url: 'url' },
  outputs: {
    status: { type: 'number', description: 'The HTTP status code' },
    body: { type: 'string', description: 'The body as text (the first 64 KiB)' },
    json: { type: 'any', description: 'The body parsed as JSON, or null when it is not JSON' },
    latency_ms: { type: 'number', description: 'From sending the request to the end of the body' },
    truncated: { type: 'boolean', description: 'The body was longer than 64 KiB' },
  },
  example: `- id: api
  name: API health endpoint
  type: http-check
  url: http://127.0.0.1:3000/health
  expect: { status: 200, json: { ok: true } }
  latency: { warn: 500ms, critical: 2s }`,
  defaultTimeout: DEFAULT_TIMEOUT,
  sideEffects: (step) => !['GET', 'HEAD', 'OPTIONS'].includes(step.method ?? 'GET'),
  check(step, report) {
    for (const key of ['warn', 'critical'] as const) {
      const text = step.latency?.[key];
      if (text !== undefined && !hasTemplate(text) && !isDuration(text)) report(['latency', key], `\`latency.${key}\` must be a duration such as 500ms or 2s; got "${text}"`);
    }
    const status = step.expect?.status;
    if (status !== undefined && !statusSpecValid(status)) report(['expect', 'status'], `\`expect.status\` must be a status code such as 200, a class such as "2xx", or a list of them; got ${JSON.stringify(status)}`);
    if (step.body !== undefined && ['GET', 'HEAD'].includes(step.method ?? 'GET')) report(['body'], `a ${step.method ?? 'GET'} request cannot have a body: set \`method: POST\` (or PUT, PATCH)`);
    if (!hasTemplate(step.url) && !/^https?:\/\//i.test(step.url)) report(['url'], '`url` must start with http:// or https://');
  },
  describe(step) {
    const expected = [
      describeStatus(step.expect?.status),
      step.expect?.json !== undefined ? `JSON ${JSON.stringify(step.expect.json)}` : '',
      step.expect?.body_contains !== undefined ? `a body containing ${JSON.stringify(step.expect.body_contains)}` : '',
    ].filter(Boolean);
    return `${step.method ?? 'GET'} ${shownUrl(step.url)}, expect ${expected.join(' and ')}`;
  },

  async run(ctx) {
    const { step } = ctx;
    const what = `${step.method ?? 'GET'} ${shownUrl(step.url)}`;
    const { body, headers } = requestBody(step);
    let response;
    try {
      response = await httpRequest({
        url: step.url, method: step.method, headers, body, signal: ctx.signal, timeoutMs: parseDuration(step.timeout ?? DEFAULT_TIMEOUT),
      });
    } catch (error) {
      throw error instanceof RequestError ? new StepFailure(`${what}: ${error.message}`) : error;
    }
    const json = parseJsonBody(response.body);
    const output = { status: response.status, body: response.body, json: json ?? null, latency_ms: response.latencyMs, truncated: response.truncated };
    const answered = `${what} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const snippet = bodySnippet(response.body);
    const expect = step.expect ?? {};

    const wrongStatus = statusProblem(response.status, expect.status);
    if (wrongStatus) throw new StepFailure(`${answered}, ${wrongStatus}${snippet ? `: ${snippet}` : ''}`, output);
    if (expect.body_contains !== undefined && !response.body.includes(expect.body_contains)) {
      throw new StepFailure(`${answered} without ${JSON.stringify(expect.body_contains)} in the body${response.truncated ? ` (first ${BODY_LIMIT / 1024} KiB)` : ''}`, output);
    }
    if (expect.json !== undefined) {
      if (json === undefined) {
        const cut = response.truncated ? ` (cut at ${BODY_LIMIT / 1024} KiB)` : '';
        throw new StepFailure(`${answered} with a body that is not JSON${cut} (${response.contentType || 'no content type'}): ${snippet || 'empty'}`, output);
      }
      const wrongJson = jsonProblem(expect.json, json);
      if (wrongJson) throw new StepFailure(`${answered} with unexpected JSON: ${wrongJson}`, output);
    }

    const { level, limit } = latencyLevel(response.latencyMs, step.latency);
    const seconds = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text) / 1000);
    return {
      level,
      value: response.status,
      output,
      message: limit ? `${what} took ${formatDuration(response.latencyMs)}, above ${limit}` : undefined,
      perf: [{ label: step.id ?? 'http', value: response.latencyMs / 1000, unit: 's', warn: seconds(step.latency?.warn), critical: seconds(step.latency?.critical) }],
    };
  },
};
