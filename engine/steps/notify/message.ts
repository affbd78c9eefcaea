import type { Alert } from '../../template/context.js';
import type { Notification, RunStatusSoFar, SendReason } from './channel.js';

const LEVEL_WORDS: Record<Alert['level'], string> = { ok: 'OK', warn: 'WARNING', critical: 'CRITICAL' };

/** The worst level so far, as the run's status will read once it ends. */
export function statusOf(alerts: Alert[]): RunStatusSoFar {
  if (alerts.some((alert) => alert.level === 'critical')) return 'CRITICAL';
  return alerts.some((alert) => alert.level === 'warn') ? 'WARNING' : 'OK';
}

export function alertLine(alert: Alert): string {
  return `${LEVEL_WORDS[alert.level]} ${alert.step}: ${alert.message}`;
}

const TITLE_SUFFIX: Record<SendReason, string> = { 'every-run': '', changed: '', recovered: ' (recovered)', reminder: ' (reminder)' };

export function defaultTitle(opts: { status: RunStatusSoFar; reason: SendReason; playbookTitle: string; host: string }): string {
  return `${opts.status}: ${opts.playbookTitle} on ${opts.host}${TITLE_SUFFIX[opts.reason]}`;
}

/** The alert list as lines; says so when there is none. */
export function alertLines(n: Notification): string[] {
  if (n.alerts.length) return n.alerts.map(alertLine);
  return [n.reason === 'recovered' ? 'Recovered: no alerts now.' : 'No alerts.'];
}

/** Who sent it, for the end of a message. */
export function footer(n: Notification): string {
  return `runbook ${n.playbook.name}, run ${n.run.id} on ${n.host}, started ${n.run.started_at}`;
}

/** The whole notification as plain text: email bodies, stdout, the file channel. */
export function plainText(n: Notification): string {
  const parts = [n.title, '', 'Alerts:', ...alertLines(n).map((line) => `  ${line}`)];
  if (n.message.trim()) parts.push('', n.message.trimEnd());
  parts.push('', `-- ${footer(n)}`);
  return `${parts.join('\n')}\n`;
}
