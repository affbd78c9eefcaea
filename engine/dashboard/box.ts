import os from 'node:os';
import { readMeminfo, type Meminfo } from '../steps/support/meminfo.js';
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

/** Off Linux (no /proc), node's own totals and no swap. */
async function memory(): Promise<Meminfo> {
  return (await readMeminfo()) ?? { total: os.totalmem(), available: os.freemem(), swapTotal: 0, swapUsed: 0 };
}

export async function readBox(): Promise<BoxReadings> {
  const { total, available, swapTotal, swapUsed } = await memory();
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
