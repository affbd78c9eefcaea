import { formatDuration } from '../duration.js';
import { sparkline } from '../schedule/status.js';
import { formatBytes, formatTable } from '../template/helpers.js';
import type { StatusDocument } from './data.js';

export interface FrameStyle {
  /** Terminal columns: every line is cut to fit. */
  width: number;
  color: boolean;
  utf8: boolean;
}

// Colour marks words that are there anyway: without it (NO_COLOR, a pipe) nothing is lost.
const RED = /\b(CRITICAL|UNKNOWN|MISSED|FAILED|LOOP|errored|absent|denied|error)\b/g;
const YELLOW = /\b(WARNING|stopped|waiting restart|launching)\b/g;
const GREEN = /\b(OK|online)\b/g;

function colored(line: string): string {
  return line.replace(RED, '\x1b[31m$1\x1b[39m').replace(YELLOW, '\x1b[33m$1\x1b[39m').replace(GREEN, '\x1b[32m$1\x1b[39m');
}

function cut(line: string, style: FrameStyle): string {
  const chars = [...line];
  if (chars.length <= style.width) return line;
  return `${chars.slice(0, Math.max(0, style.width - 1)).join('')}${style.utf8 ? '…' : '>'}`;
}

/** `2026-11-30 09:50` (UTC, as the header says). */
function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function boxLines({ box }: StatusDocument): string[] {
  const { memory, swap, load, disk } = box;
  const perCore = load['1'] / load.cores;
  return [
    `Memory  ${memory.used_percent}% used, ${formatBytes(memory.available_bytes)} available of ${formatBytes(memory.total_bytes)}`,
    `Swap    ${swap.total_bytes ? `${swap.used_percent}% used, ${formatBytes(swap.used_bytes)} of ${formatBytes(swap.total_bytes)}` : 'none'}`,
    `Load    ${[load['1'], load['5'], load['15']].map((n) => n.toFixed(2)).join(' ')} on ${load.cores} cores (${perCore.toFixed(2)} per core)`,
    `Disk    ${disk ? `${disk.mount} ${disk.used_percent}% used` : 'did not answer'}`,
    `Uptime  ${formatDuration(box.uptime_seconds * 1000)}`,
  ];
}

function pm2Lines({ pm2 }: StatusDocument): string[] {
  if (pm2.state !== 'running') return [`PM2: ${pm2.message}`];
  if (!pm2.processes.length) return ['PM2 manages no processes'];
  return formatTable(pm2.processes.map((p) => ({
    PROCESS: p.name,
    ID: p.pm_id,
    STATUS: p.status,
    RESTARTS: p.restarts,
    CRASHES: p.recent_restarts === null ? '?' : `${p.recent_restarts}${p.crash_loop ? ' LOOP' : ''}`,
    MEMORY: formatBytes(p.memory_bytes),
    CPU: `${p.cpu_percent}%`,
    UPTIME: p.status === 'online' ? formatDuration(p.uptime_ms) : '-',
  }))).split('\n');
}

function playbookLines(doc: StatusDocument, style: FrameStyle): string[] {
  const lines = formatTable(doc.playbooks.map((p) => ({
    PLAYBOOK: p.playbook,
    'LAST RUN': p.last_run ? minute(p.last_run.started_at) : '-',
    RESULT: p.running_since ? 'running' : p.last_run?.status ?? 'never run',
    TOOK: p.last_run ? formatDuration(p.last_run.duration_ms) : '-',
    'NEXT RUN': p.next_run ? minute(p.next_run) : 'by hand',
    CHECK: p.attention === 'missed' ? 'MISSED' : p.attention === 'failed' ? 'FAILED' : '',
    TREND: sparkline(p.trend, style.utf8),
  }))).split('\n');
  return doc.invalid.length ? [...lines, `INVALID: ${doc.invalid.map((p) => p.name).join(', ')} (runbook validate)`] : lines;
}

/** One screen of `runbook top`: the box, PM2, every playbook's last and next run. */
export function renderFrame(doc: StatusDocument, style: FrameStyle, footer?: string): string {
  const lines = [
    `runbook top  ${doc.host}  ${doc.generated_at.slice(0, 19).replace('T', ' ')} UTC`,
    '',
    ...boxLines(doc),
    '',
    ...pm2Lines(doc),
    '',
    ...playbookLines(doc, style),
    ...(footer ? ['', footer] : []),
  ];
  return lines.map((line) => cut(line, style)).map((line) => (style.color ? colored(line) : line)).join('\n');
}
