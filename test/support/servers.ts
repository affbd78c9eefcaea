/**
 * Real servers on 127.0.0.1 for tests: an HTTP server with scripted routes that records every
 * request (health endpoints, Slack-style webhooks, heartbeat URLs), and an SMTP server that
 * records every message. Each listens on a free port and is closed by the test.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface RecordedRequest {
  method: string;
  /** Path with query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a route answers; `hang` accepts the request and never answers. */
export type Answer = { status?: number; body?: string | object; headers?: Record<string, string>; delayMs?: number } | 'hang';
export type Route = (request: RecordedRequest) => Answer;

export interface TestHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** The requests whose path (without query) is `path`. */
  to(path: string): RecordedRequest[];
  close(): Promise<void>;
}

function respond(res: http.ServerResponse, answer: Exclude<Answer, 'hang'>): void {
  const json = typeof answer.body === 'object';
  const body = json ? JSON.stringify(answer.body) : answer.body ?? '';
  res.writeHead(answer.status ?? 200, { 'Content-Type': json ? 'application/json' : 'text/plain', ...answer.headers });
  res.end(body);
}

/** Routes by path (without query); an unknown path answers 404. */
export async function startHttpServer(routes: Record<string, Route>): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const route = routes[request.path.split('?')[0]!];
      const answer = route ? route(request) : { status: 404, body: 'no such route' };
      if (answer === 'hang') return;
      if (answer.delayMs) setTimeout(() => respond(res, answer), answer.delayMs);
      else respond(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((request) => request.path.split('?')[0] === path),
    close: () => new Promise((resolve) => {
      server.closeAllConnections(); // hanging requests too
      server.close(() => resolve());
    }),
  };
}

/** A port nothing listens on (for "connection refused"). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** As received: headers and encoded body. */
  raw: string;
  subject: string;
  /** The body, decoded from quoted-printable or base64. */
  text: string;
}

export interface TestSmtpServer {
  port: number;
  /** smtp://user:pass@127.0.0.1:port */
  url(user: string, pass: string): string;
  messages: ReceivedMail[];
  logins: { username: string; password: string }[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const flat = text.replace(/=\r?\n/g, ''); // soft line breaks
  const bytes: number[] = [];
  for (let i = 0; i < flat.length; i++) {
    const hex = flat.slice(i + 1, i + 3);
    if (flat[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(flat[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=` words of a header. */
function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')));
}

/** A message as SMTP (CRLF) or sendmail (LF) receives it. */
export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const lines = raw.replace(/\r\n/g, '\n');
  const split = lines.indexOf('\n\n');
  const head = lines.slice(0, split).replace(/\n[ \t]+/g, ' ');
  const body = lines.slice(split + 2);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text = encoding === 'quoted-printable' ? decodeQuotedPrintable(body)
    : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { ...envelope, raw, subject: decodeHeader(header('Subject')), text };
}

/** Accepts any login (recording it) over plain TCP, as a local relay would. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const logins: TestSmtpServer['logins'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        messages.push(parseMail(raw, envelope));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: http.Server }).server.address() as AddressInfo;
  return {
    port,
    url: (user, pass) => `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    messages,
    logins,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
