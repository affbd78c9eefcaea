import { errorMessage, RunbookError } from '../errors.js';
import { fleetUrl, withoutFleetSecret } from '../fleet/config.js';
import type { LoadedPlaybook } from '../playbook/load.js';
import { heartbeatObserver } from '../run/heartbeat.js';
import { logFileReporter } from '../run/progress/log-file.js';
import type { RunStore } from '../run/store.js';
import { defaultLogFile } from './crontab-block.js';
import { dueAt, minuteOf } from './due.js';
import { parseSchedule } from './next.js';
import { loadEvery } from './scheduled.js';
import { tickMinutes } from './tick-minutes.js';

export interface TickOptions {
  dirs: string[];
  /** The minute to run what is due in (the clock; `--now` for tests and catching up by hand). */
  now: Date;
  store: RunStore;
  env: NodeJS.ProcessEnv;
  settings: Record<string, string>;
  interrupt: AbortSignal;
  /** The minutes the crontab's tick line fires at (`--minutes`, written by `runbook cron`). */
  minutes?: number[];
  out(line: string): void;
  err(line: string): void;
}

/** Where a scheduled run's output goes: the playbook's own `log`, else /var/log/runbook/NAME.log. */
export const scheduledLogFile = (playbook: LoadedPlaybook) => playbook.data.log ?? defaultLogFile(playbook.name);

/**
 * Runs every scheduled playbook due in the minute `now` falls in, each by its own cron
 * expression and zone, side by side, with the locks and history of `runbook run`. Playbooks are
 * read afresh on every tick, so a new one needs no new crontab. Returns the worst exit code.
 */
export async function tick(opts: TickOptions): Promise<number> {
  const set = await loadEvery(opts.dirs);
  const at = minuteOf(opts.now).toISOString().slice(0, 16).replace('T', ' ');
  for (const bad of set.invalid) opts.err(`${at} ${bad.name} is not valid and runs nowhere until it is fixed (runbook validate ${bad.name})`);
  if (opts.minutes) for (const line of await uncovered(set.valid, opts.minutes)) opts.err(`${at} ${line}`);
  const due: LoadedPlaybook[] = [];
  for (const playbook of set.valid) if (playbook.data.schedule && (await dueAt(playbook.data.schedule, opts.now))) due.push(playbook);
  if (due.length) await leaveToFleet(due, opts, at);
  if (!due.length) return set.invalid.length ? 3 : 0;
  const { runPlaybook } = await import('../run/runner.js');
  const codes = await Promise.all(due.map(async (playbook) => {
    const file = scheduledLogFile(playbook);
    const log = logFileReporter(file, opts.err);
    opts.out(`${at} ${playbook.name}: started, output in ${file}`);
    try {
      const { record } = await runPlaybook(playbook, {
        only: playbook.data.schedule?.only, reporter: log, store: opts.store, dirs: opts.dirs, interrupt: opts.interrupt, processEnv: withoutFleetSecret(opts.env), settings: opts.settings,
        observers: playbook.data.heartbeat ? [heartbeatObserver(playbook.data.heartbeat)] : [],
      });
      opts.out(`${at} ${record.summary}`);
      return record.exit_code ?? 3;
    } catch (error) {
      if (!(error instanceof RunbookError)) throw error;
      opts.err(`${at} ${playbook.name} did not run: ${errorMessage(error)}`);
      return error.exitCode;
    } finally {
      log.close();
    }
  }));
  return Math.max(set.invalid.length ? 3 : 0, ...codes);
}

/** On a fleet host, drops from `due` the playbooks the fleet schedules: its agent runs them. */
async function leaveToFleet(due: LoadedPlaybook[], opts: TickOptions, at: string): Promise<void> {
  if (!fleetUrl(opts.env)) return;
  const fleet = await (await import('../fleet/cron-share.js')).fleetScheduled(opts.env, (line) => opts.err(`${at} ${line}`));
  for (const playbook of due.filter((p) => fleet.has(p.name))) {
    opts.out(`${at} ${playbook.name}: scheduled by the fleet (runbook fleet schedule): its agent runs it`);
    due.splice(due.indexOf(playbook), 1);
  }
}

/** Playbooks whose schedule needs a minute the installed tick line does not fire at (added since). */
async function uncovered(playbooks: LoadedPlaybook[], installed: number[]): Promise<string[]> {
  const machineZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const lines: string[] = [];
  for (const playbook of playbooks) {
    if (!playbook.data.schedule) continue;
    const needed = tickMinutes([await parseSchedule(playbook.data.schedule)], [...new Set([machineZone, 'UTC'])]);
    const missing = needed === '*' ? ['every minute'] : needed.split(',').filter((minute) => !installed.includes(Number(minute)));
    if (missing.length) lines.push(`${playbook.name} needs the tick at minute ${missing.join(', ')}, which the crontab line does not run at: runbook cron --install`);
  }
  return lines;
}
