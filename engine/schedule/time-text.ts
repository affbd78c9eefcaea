// Made on first use: a process's first Intl.DateTimeFormat costs ~17 ms (ICU), even for --version.
let weekday: Intl.DateTimeFormat | undefined;

/** "Mon 2026-11-30 00:00 UTC": sortable, unambiguous, the zone cron schedules are written in. */
export function utcText(date: Date): string {
  weekday ??= new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' });
  return `${weekday.format(date)} ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function parts(date: Date, locale: string, timeZone?: string): Record<string, string> {
  const format = new Intl.DateTimeFormat(locale, {
    timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  });
  return Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
}

/**
 * The same moment on this machine's clock: "Mon 2026-11-30 01:00 CET". Each locale knows the
 * abbreviations of its own region only (en-US says GMT+1 for CET, en-GB GMT-5 for EST).
 */
export function localText(date: Date, timeZone?: string): string {
  const us = parts(date, 'en-US', timeZone);
  const zone = us.timeZoneName!.startsWith('GMT') ? parts(date, 'en-GB', timeZone).timeZoneName : us.timeZoneName;
  return `${us.weekday} ${us.year}-${us.month}-${us.day} ${us.hour}:${us.minute} ${zone}`;
}
