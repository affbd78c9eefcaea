import type { LoadedPlaybook } from '../playbook/load.js';
import { ensureQueue, TICK_PREFIX, tickQueue, type Boss } from './boss.js';
import type { Db } from './db.js';

export interface FleetSchedule {
  playbook: string;
  cron: string;
  timezone: string;
}

/** The schedules the playbooks declare, as the fleet would run them. */
export function schedulesOf(playbooks: LoadedPlaybook[]): FleetSchedule[] {
  return playbooks.flatMap((p) => (p.data.schedule ? [{ playbook: p.name, cron: p.data.schedule.cron, timezone: p.data.schedule.timezone ?? 'UTC' }] : []));
}

/** The schedules installed in the fleet database now. */
export async function installedSchedules(db: Db): Promise<FleetSchedule[]> {
  const { rows } = await db.query<{ name: string; cron: string; timezone: string }>('SELECT name, cron, timezone FROM pgboss.schedule WHERE name LIKE $1 ORDER BY name', [`${TICK_PREFIX}%`]);
  return rows.map((row) => ({ playbook: row.name.slice(TICK_PREFIX.length), cron: row.cron, timezone: row.timezone }));
}

/**
 * Makes the installed schedules exactly `wanted` (none, to uninstall): one pg-boss schedule per
 * playbook, whose ticks never retry (a tick fans out once, see ticks.ts).
 */
export async function syncSchedules(boss: Boss, db: Db, wanted: FleetSchedule[]): Promise<{ installed: FleetSchedule[]; removed: string[] }> {
  const before = await installedSchedules(db);
  const removed = before.filter((old) => !wanted.some((w) => w.playbook === old.playbook)).map((old) => old.playbook);
  for (const playbook of removed) await boss.unschedule(tickQueue(playbook));
  for (const schedule of wanted) {
    const queue = tickQueue(schedule.playbook);
    await ensureQueue(boss, queue);
    await boss.schedule(queue, schedule.cron, { playbook: schedule.playbook }, { tz: schedule.timezone, retryLimit: 0 });
  }
  return { installed: wanted, removed };
}
