import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { readMeminfo, type Meminfo } from './meminfo.js';

/**
 * The built-in readings of `assert-threshold`. Memory and swap come from /proc/meminfo (from
 * systeminformation, loaded only then, where there is no /proc); load, cores and uptime from the
 * OS; swappiness from /proc.
 */
type Reader = (opts: { mount?: string }) => Promise<number>;
/** What a percentage is a percentage of: bytes used and in all. */
type Parts = (opts: { mount?: string }) => Promise<{ used: number; total: number }>;

async function memory(): Promise<Meminfo> {
  const proc = await readMeminfo();
  if (proc) return proc;
  const { default: si } = await import('systeminformation');
  const mem = await si.mem();
  return { total: mem.total, available: mem.available, swapTotal: mem.swaptotal, swapUsed: mem.swapused };
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

const percentOf = (parts: Parts): Reader => async (opts) => {
  const { used, total } = await parts(opts);
  return percent(used, total);
};

const swapParts: Parts = async () => {
  const m = await memory();
  return { used: m.swapUsed, total: m.swapTotal };
};
const memoryParts: Parts = async () => {
  const m = await memory();
  return { used: m.total - m.available, total: m.total };
};
const diskParts: Parts = async ({ mount }) => {
  const fs = await withTimeout(statfs(mount ?? '/'), 5000, `the file system at ${mount ?? '/'}`);
  const used = fs.blocks - fs.bfree;
  // As df: the space an unprivileged user can still use, not the blocks reserved for root.
  return { used: used * fs.bsize, total: (used + fs.bavail) * fs.bsize };
};

/** `df` (and statfs) can hang on a dead network mount: never wait long. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const METRICS: Record<string, { unit: string; describe: string; read: Reader; parts?: Parts }> = {
  'swap.used_percent': { unit: '%', describe: 'swap used', read: percentOf(swapParts), parts: swapParts },
  'swap.used_bytes': { unit: 'B', describe: 'swap used', read: async () => (await memory()).swapUsed },
  'memory.used_percent': { unit: '%', describe: 'memory used', read: percentOf(memoryParts), parts: memoryParts },
  'memory.available_bytes': { unit: 'B', describe: 'memory available', read: async () => (await memory()).available },
  'load.1': { unit: '', describe: '1-minute load average', read: async () => os.loadavg()[0]! },
  'load.5': { unit: '', describe: '5-minute load average', read: async () => os.loadavg()[1]! },
  'load.15': { unit: '', describe: '15-minute load average', read: async () => os.loadavg()[2]! },
  'load.per_core': { unit: '', describe: '1-minute load per core', read: async () =>
    Math.round((os.loadavg()[0]! / os.availableParallelism()) * 100) / 100 },
  'cpu.cores': { unit: '', describe: 'CPU cores', read: async () => os.availableParallelism() },
  'disk.used_percent': { unit: '%', describe: 'disk used', read: percentOf(diskParts), parts: diskParts },
  'uptime.seconds': { unit: 's', describe: 'uptime', read: async () => Math.round(os.uptime()) },
  'vm.swappiness': { unit: '', describe: 'vm.swappiness', read: async () =>
    Number((await readFile('/proc/sys/vm/swappiness', 'utf8')).trim()) },
};

export const METRIC_NAMES = Object.keys(METRICS);
export const METRICS_WITH_PARTS = METRIC_NAMES.filter((name) => METRICS[name]!.parts);

type Reading = { value: number; used?: number; total?: number };

/**
 * A metric's reading, with the bytes a percentage is made of when it is one. With `simulated`
 * (a drill's --metric value) that value stands and the box is not read for it; the bytes are
 * read if they can be (for the alert's text), and left out if not: a drill never fails on them.
 */
export async function readMetric(name: string, opts: { mount?: string; simulated?: number }): Promise<Reading> {
  const metric = METRICS[name]!;
  if (opts.simulated !== undefined) {
    const parts = await metric.parts?.(opts).catch(() => undefined);
    return { value: opts.simulated, ...parts };
  }
  if (!metric.parts) return { value: await metric.read(opts) };
  const { used, total } = await metric.parts(opts);
  return { value: percent(used, total), used, total };
}
