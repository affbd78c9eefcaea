import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { METRICS } from '../steps/support/metrics.js';

/** The box now, as the dashboard and `top` show it. */
export interface BoxReadings {
  memory: { total_bytes: number; available_bytes: number; used_percent: number };
  swap: { total_bytes: number; used_bytes: number; used_percent: number };
  load: { '1': number; '5': number; '15': number; cores: number };
  /** The root file system; null when it did not answer (a hung mount). */
  disk: { mount: string; used_percent: number } | null;
  uptime_seconds: number;
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/**
 * Memory and swap from /proc/meminfo, the numbers systeminformation reads for `assert-threshold`
 * (used = total - MemAvailable), without loading it: the dashboard is meant to idle on a box
 * short of memory. Off Linux, node's own totals (no swap).
 */
async function meminfo(): Promise<Record<string, number>> {
  try {
    const text = await readFile('/proc/meminfo', 'utf8');
    return Object.fromEntries([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1]!, Number(m[2]) * 1024]));
  } catch {
    return { MemTotal: os.totalmem(), MemAvailable: os.freemem(), SwapTotal: 0, SwapFree: 0 };
  }
}

export async function readBox(): Promise<BoxReadings> {
  const info = await meminfo();
  const total = info.MemTotal ?? 0;
  const available = info.MemAvailable ?? info.MemFree ?? 0;
  const swapTotal = info.SwapTotal ?? 0;
  const swapUsed = swapTotal - (info.SwapFree ?? 0);
  const [one, five, fifteen] = os.loadavg() as [number, number, number];
  const disk = await METRICS['disk.used_percent']!.read({ mount: '/' }).then((used) => ({ mount: '/', used_percent: used }), () => null);
  return {
    memory: { total_bytes: total, available_bytes: available, used_percent: percent(total - available, total) },
    swap: { total_bytes: swapTotal, used_bytes: swapUsed, used_percent: percent(swapUsed, swapTotal) },
    load: { '1': one, '5': five, '15': fifteen, cores: os.availableParallelism() },
    disk,
    uptime_seconds: Math.round(os.uptime()),
  };
}
