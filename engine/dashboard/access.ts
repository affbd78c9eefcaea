import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { RunbookError } from '../errors.js';

export const TOKEN_VARIABLE = 'RUNBOOK_DASHBOARD_TOKEN';
const COOKIE = 'runbook_dashboard_token';

/** Loopback only: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Refuses to serve beyond this machine without a token: anyone on the network could read it. */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new RunbookError('BAD_ARGUMENT', `--host ${host} serves the dashboard beyond this machine: set ${TOKEN_VARIABLE} to a long random value first (requests must then carry it)`);
  }
}

function same(given: string, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** What to do with a request, as far as the token goes. */
export type Access = { allow: true } | { allow: false } | { redirect: string; cookie: string };

/**
 * With a token, a request needs it as `Authorization: Bearer`, or the cookie a first visit with
 * `?token=` sets; that visit is redirected to the same address without the token, so it does
 * not stay in the address bar or the browser's history.
 */
export function checkAccess(req: IncomingMessage, url: URL, token: string | undefined): Access {
  if (!token) return { allow: true };
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return { allow: same(bearer, token) };
  const cookie = cookieToken(req);
  if (cookie !== undefined && same(cookie, token)) return { allow: true };
  const query = url.searchParams.get('token');
  if (query === null || !same(query, token)) return { allow: false };
  url.searchParams.delete('token');
  return {
    redirect: `${url.pathname}${url.search}`,
    cookie: `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`,
  };
}

/**
 * Without a token, a loopback dashboard answers only requests addressed to this machine: a web
 * page elsewhere could otherwise point its own name at 127.0.0.1 (DNS rebinding) and read it.
 */
export function hostAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (token) return true;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return isLoopback(host);
}
