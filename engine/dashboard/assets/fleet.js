import { el, section, table } from './dom.js';
import { badge, when } from './format.js';

function check(p) {
  if (p.attention === 'lost') return el('span', { class: 'badge crit' }, 'LOST');
  if (p.attention === 'missed') return el('span', { class: 'badge crit' }, 'MISSED');
  if (p.attention === 'failed') return el('span', { class: 'badge crit' }, 'FAILED');
  if (p.running_since) return el('span', { class: 'badge running' }, 'running');
  return p.last_run ? 'ok' : el('span', { class: 'muted' }, 'never run');
}

function agent(a) {
  if (!a) return el('span', { class: 'muted' }, 'no agent');
  if (a.stopped_at) return el('span', { class: 'muted' }, 'stopped ', when(a.stopped_at));
  return a.alive ? when(a.last_seen) : el('span', { class: 'badge crit' }, 'SILENT');
}

/** The fleet view: one table of hosts x playbooks, a host's rows together. */
export function fleetView(doc) {
  const lines = doc.hosts.flatMap((h) => h.playbooks.map((p) => ({ h, p })));
  const rows = lines.map(({ h, p }) => [
    h.host, agent(h.agent), p.playbook,
    p.last_run ? badge(p.last_run.status) : '-',
    p.last_run ? when(p.last_run.started_at) : '-',
    p.next_run ? when(p.next_run) : el('span', { class: 'muted' }, 'by hand'),
    check(p),
    el('span', { class: 'summary' }, p.last_run?.summary ?? ''),
  ]);
  return section(`Fleet: ${doc.hosts.length} hosts`,
    table(['host', 'agent seen', 'playbook', 'last', 'when', 'next run', 'check', 'summary'], rows, (i) => (lines[i].p.attention ? 'bad' : '')));
}
