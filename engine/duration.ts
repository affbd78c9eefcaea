const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** True when `text` is a duration such as `30s`, `5m`, `1.5h`, `7d`. */
export function isDuration(text: string): boolean {
  return DURATION.test(text.trim());
}

/** Milliseconds in a duration such as `30s`; throws on anything else. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration (use a number and one of ms, s, m, h, d, w: 30s, 5m, 7d)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/** A short human form of a duration in milliseconds: 850ms, 1.2s, 3m05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
