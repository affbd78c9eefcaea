import type { ParsedSchedule } from './next.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The zone's offset from UTC in minutes at `at` (Asia/Kolkata: 330). */
function offsetMinutes(zone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** How far a zone's minutes are from another's, over a year of dates (Lord Howe moves by 30). */
function minuteShifts(zone: string, machineZones: string[], from: Date): Set<number> {
  const shifts = new Set<number>();
  for (let day = 0; day <= 366; day += 7) {
    const at = new Date(from.getTime() + day * DAY_MS + (day % 24) * HOUR_MS);
    for (const machine of machineZones) shifts.add((((offsetMinutes(zone, at) - offsetMinutes(machine, at)) % 60) + 60) % 60);
  }
  return shifts;
}

function hasDaylightSaving(zone: string, from: Date): boolean {
  return offsetMinutes(zone, from) !== offsetMinutes(zone, new Date(from.getTime() + 182 * DAY_MS));
}

/**
 * The minute field of the crontab's one `runbook tick` line: every minute of the hour at which
 * some schedule can fire, read in the zone cron reads the line in. Hours are left to `*`: which
 * hour is due moves with each zone's daylight saving time, and runbook decides that itself. A
 * tick costs a Node process, so a box with an hourly and a 01:30 playbook starts 48 a day, not 1440.
 */
export function tickMinutes(schedules: ParsedSchedule[], machineZones: string[], from = new Date()): string {
  const minutes = new Set<number>();
  for (const schedule of schedules) {
    const shifts = minuteShifts(schedule.timezone, machineZones, from);
    // A fixed time the clock jumps over runs right after the jump, at a full hour of its zone.
    const fixedHour = !schedule.minute.raw.includes('*') && !schedule.hour.raw.includes('*');
    const atMinutes = [...schedule.minute.values, ...(fixedHour && hasDaylightSaving(schedule.timezone, from) ? [0] : [])];
    for (const minute of atMinutes) for (const shift of shifts) minutes.add((minute - shift + 60) % 60);
  }
  if (minutes.size === 60) return '*';
  return [...minutes].sort((a, b) => a - b).join(',');
}
