import { el, link, section, table } from './dom.js';
import { badge, bytes, duration, trend, utc, when } from './format.js';

/** A bar filled to `percent` (set through the CSSOM: the CSP allows no inline style attribute). */
function bar(percent) {
  const fill = el('div', { class: 'fill' });
  fill.style.width = `${Math.min(100, Math.max(0, percent))}%`;
  return el('div', { class: 'bar' }, fill);
}

function meter(label, percent, detail, level) {
  return el('div', { class: `card ${level}` },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, `${percent}%`),
    bar(percent),
    el('div', { class: 'detail' }, detail));
}

const levelOf = (value, warn, crit) => (value >= crit ? 'crit' : value >= warn ? 'warn' : 'ok');

function box({ box }) {
  const { memory, swap, load, disk } = box;
  const perCore = load['1'] / load.cores;
  return section('Box',
    el('div', { class: 'cards' },
      meter('Memory', memory.used_percent, `${bytes(memory.available_bytes)} available of ${bytes(memory.total_bytes)}`, levelOf(memory.used_percent, 90, 97)),
      swap.total_bytes
        ? meter('Swap', swap.used_percent, `${bytes(swap.used_bytes)} used of ${bytes(swap.total_bytes)}`, levelOf(swap.used_percent, 20, 80))
        : el('div', { class: 'card' }, el('div', { class: 'label' }, 'Swap'), el('div', { class: 'value' }, 'none'), el('div', { class: 'detail' }, 'no swap configured')),
      el('div', { class: `card ${levelOf(perCore, 1, 2)}` },
        el('div', { class: 'label' }, 'Load 1 / 5 / 15'),
        el('div', { class: 'value' }, [load['1'], load['5'], load['15']].map((n) => n.toFixed(2)).join(' / ')),
        bar(perCore * 100),
        el('div', { class: 'detail' }, `${load.cores} cores: ${perCore.toFixed(2)} per core`)),
      disk ? meter(`Disk ${disk.mount}`, disk.used_percent, 'used', levelOf(disk.used_percent, 80, 90))
        : el('div', { class: 'card crit' }, el('div', { class: 'label' }, 'Disk'), el('div', { class: 'value' }, '?'), el('div', { class: 'detail' }, 'did not answer')),
      el('div', { class: 'card' }, el('div', { class: 'label' }, 'Uptime'), el('div', { class: 'value' }, duration(box.uptime_seconds * 1000)))));
}

function pm2({ pm2 }) {
  if (pm2.state !== 'running') return section('PM2', el('p', { class: 'notice crit' }, pm2.message));
  if (!pm2.processes.length) return section('PM2', el('p', { class: 'notice warn' }, 'PM2 manages no processes'));
  const rows = pm2.processes.map((p) => [
    p.name, String(p.pm_id), badge(p.status),
    String(p.restarts),
    p.recent_restarts === null ? '?' : el('span', {}, String(p.recent_restarts), p.crash_loop ? el('span', { class: 'badge crit' }, 'CRASH LOOP') : ''),
    bytes(p.memory_bytes), `${p.cpu_percent}%`, p.status === 'online' ? duration(p.uptime_ms) : '-',
  ]);
  const cls = (i) => {
    const p = pm2.processes[i];
    return p.crash_loop || !['online', 'stopped'].includes(p.status) ? 'bad' : p.status === 'stopped' ? 'warned' : '';
  };
  return section('PM2', el('p', { class: 'muted' }, `daemon under ${pm2.home}`),
    table(['process', 'id', 'status', 'restarts', 'crashes (5 min)', 'memory', 'CPU', 'uptime'], rows, cls));
}

function check(p) {
  if (p.attention === 'missed') return el('span', { class: 'badge crit' }, `MISSED ${utc(p.missed)}`);
  if (p.attention === 'failed') return el('span', { class: 'badge crit' }, 'FAILED');
  if (p.running_since) return el('span', { class: 'badge running' }, 'running');
  return p.last_run ? 'ok' : el('span', { class: 'muted' }, 'never run');
}

function playbooks(status) {
  const rows = status.playbooks.map((p) => [
    link(`#/playbook/${encodeURIComponent(p.playbook)}`, p.playbook),
    p.last_run ? link(`#/run/${encodeURIComponent(p.last_run.run_id)}`, badge(p.last_run.status)) : '-',
    p.last_run ? when(p.last_run.started_at) : '-',
    p.last_run ? duration(p.last_run.duration_ms) : '-',
    p.next_run ? when(p.next_run) : el('span', { class: 'muted' }, 'by hand'),
    check(p),
    trend(p.trend),
    el('span', { class: 'summary' }, p.last_run?.summary ?? p.title),
  ]);
  const invalid = status.invalid.length
    ? el('p', { class: 'notice crit' }, `Invalid playbooks (their runs fail; runbook validate): ${status.invalid.map((p) => p.name).join(', ')}`) : '';
  return section('Playbooks', invalid,
    table(['playbook', 'last', 'when', 'took', 'next run', 'check', 'trend', 'summary'], rows,
      (i) => (status.playbooks[i].attention ? 'bad' : '')));
}

export function runsTable(runs, withPlaybook = true) {
  const rows = runs.map((run) => [
    link(`#/run/${encodeURIComponent(run.run_id)}`, run.run_id),
    ...(withPlaybook ? [run.playbook] : []),
    badge(run.status), when(run.started_at), duration(run.duration_ms), el('span', { class: 'summary' }, run.summary),
  ]);
  return table(['run', ...(withPlaybook ? ['playbook'] : []), 'status', 'started', 'took', 'summary'], rows);
}

export function overview(status, runs) {
  return [box(status), pm2(status), playbooks(status), section('Recent runs', runs.length ? runsTable(runs) : el('p', { class: 'muted' }, 'no recorded runs'))];
}
