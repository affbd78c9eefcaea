import type { LoadedPlaybook } from '../playbook/load.js';
import type { RunStatus } from '../run/record.js';
import type { IndexEntry, RunReader } from '../run/run-reader.js';
import { cronFirings, tableFirings, type FiringTable } from './firing-table.js';

/** How many of the last runs the trend shows. */
export const TREND_LENGTH = 10;

type FinishedEntry = IndexEntry & { status: RunStatus };

/** One playbook in `runbook status`. */
export interface PlaybookStatus {
  playbook: string;
  title: string;
  schedule: { cron: string; timezone: string } | null;
  /** The last run that finished. */
  last_run: FinishedEntry | null;
  /** Set when the newest record is still RUNNING (or its process died without finishing it). */
  running_since: string | null;
  next_run: string | null;
  /**
   * A scheduled time (older than the grace period) with no run started at or after it:
   * cron is not installed or broken, or the box was down.
   */
  missed: string | null;
  /** The last runs' statuses, oldest first. */
  trend: RunStatus[];
}

/**
 * What status reads of a playbook (a loaded one, or the dashboard's brief of one, which brings its
 * schedule's firing times around now: its server never loads cron-parser).
 */
export type StatusInput = Pick<LoadedPlaybook, 'name'> & { data: Pick<LoadedPlaybook['data'], 'title' | 'schedule'>; firings?: FiringTable };

export async function playbookStatus(playbook: StatusInput, opts: { store: Pick<RunReader, 'index'>; now: Date; graceMs: number }): Promise<PlaybookStatus> {
  const entries = await opts.store.index(playbook.name);
  const finished = entries.filter((entry): entry is FinishedEntry => entry.status !== 'RUNNING');
  const newest = entries.at(-1);
  const schedule = playbook.data.schedule;
  let next: Date | undefined;
  let missed: Date | undefined;
  if (schedule) {
    const firings = playbook.firings ? tableFirings(playbook.firings, schedule) : cronFirings(schedule);
    next = await firings.after(opts.now);
    const due = await firings.before(new Date(opts.now.getTime() - opts.graceMs));
    const latestStart = Math.max(...entries.map((entry) => Date.parse(entry.started_at)));
    // Never run: there is no "since" to miss from (it shows as never run, not as a failure).
    if (due && entries.length && latestStart < due.getTime()) missed = due;
  }
  return {
    playbook: playbook.name,
    title: playbook.data.title,
    schedule: schedule ? { cron: schedule.cron, timezone: schedule.timezone ?? 'UTC' } : null,
    last_run: finished.at(-1) ?? null,
    running_since: newest?.status === 'RUNNING' ? newest.started_at : null,
    next_run: next?.toISOString() ?? null,
    missed: missed?.toISOString() ?? null,
    trend: finished.slice(-TREND_LENGTH).map((entry) => entry.status),
  };
}

const FAILED: ReadonlySet<string> = new Set(['CRITICAL', 'UNKNOWN']);

/**
 * Whether a scheduled playbook needs someone: a missed schedule or a failed last run. Playbooks
 * run by hand are not judged: an emergency procedure's last run is CRITICAL by nature, and
 * status would stay red until the next emergency.
 */
export function needsAttention(status: PlaybookStatus): 'missed' | 'failed' | undefined {
  if (!status.schedule) return undefined;
  if (status.missed) return 'missed';
  return status.last_run && FAILED.has(status.last_run.status) ? 'failed' : undefined;
}

/** Status is itself a check (Nagios): 2 when anything is missed or failed, 1 when a scheduled last run warned. */
export function statusExitCode(statuses: PlaybookStatus[]): number {
  if (statuses.some(needsAttention)) return 2;
  return statuses.some((status) => status.schedule && status.last_run?.status === 'WARNING') ? 1 : 0;
}

const GLYPHS: Record<'utf8' | 'ascii', Record<RunStatus, string>> = {
  utf8: { OK: '✓', WARNING: '!', CRITICAL: '✗', UNKNOWN: '?' },
  ascii: { OK: '+', WARNING: '!', CRITICAL: 'x', UNKNOWN: '?' },
};

/** A terminal or log that is not UTF-8 shows ✓ and ✗ as garbage: the locale decides. */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  return /utf-?8/i.test(env.LC_ALL || env.LC_CTYPE || env.LANG || '');
}

/** The last runs at a glance: `✓✓✗✓` (or `++x+` without UTF-8). */
export function sparkline(trend: RunStatus[], utf8: boolean): string {
  const glyphs = GLYPHS[utf8 ? 'utf8' : 'ascii'];
  return trend.map((status) => glyphs[status]).join('');
}
