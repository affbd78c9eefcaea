import { el } from './dom.js';

export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

/** UTC, as the CLI prints times: 2026-11-30 09:45 UTC. */
export function utc(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "5m ago", "in 2h": next to the absolute time, in the viewer's terms. */
export function relative(iso, now = Date.now()) {
  const diff = Date.parse(iso) - now;
  const s = Math.abs(diff) / 1000;
  const text = s < 60 ? `${Math.round(s)}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 172800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

export function when(iso) {
  return el('time', { datetime: iso, title: iso }, `${utc(iso)} (${relative(iso)})`);
}

const STATUS_CLASS = { OK: 'ok', WARNING: 'warn', CRITICAL: 'crit', UNKNOWN: 'unknown', RUNNING: 'running' };

/** A run or step status as a coloured badge (the word is always there: colour is not the only sign). */
export function badge(status) {
  const word = String(status).toUpperCase();
  const cls = STATUS_CLASS[word] ?? { online: 'ok', stopped: 'warn', skipped: 'unknown', ok: 'ok', warn: 'warn', critical: 'crit', failed: 'crit', pending: 'unknown' }[status] ?? 'crit';
  return el('span', { class: `badge ${cls}` }, status);
}

const GLYPHS = { OK: '✓', WARNING: '!', CRITICAL: '✗', UNKNOWN: '?' };

export function trend(statuses) {
  return el('span', { class: 'trend', title: statuses.join(', ') || 'no runs' },
    statuses.map((status) => el('span', { class: STATUS_CLASS[status] }, GLYPHS[status])));
}
