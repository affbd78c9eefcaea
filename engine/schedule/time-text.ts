const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' });

/** "Mon 2026-11-30 00:00 UTC": sortable, unambiguous, the zone cron schedules are written in. */
export function utcText(date: Date): string {
  return `${WEEKDAY.format(date)} ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The same moment on this machine's clock: "Mon 2026-11-30 01:00 CET". */
export function localText(date: Date, timeZone?: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}
