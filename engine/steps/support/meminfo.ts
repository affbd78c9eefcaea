import { readFile } from 'node:fs/promises';

/** Memory and swap in bytes, as `free` shows them (used memory is total − available). */
export interface Meminfo {
  total: number;
  available: number;
  swapTotal: number;
  swapUsed: number;
}

/**
 * /proc/meminfo, the numbers systeminformation's `mem()` reads on Linux, without loading it (a
 * 700 KB library, for four numbers an hourly check needs). Undefined where there is no /proc.
 */
export async function readMeminfo(): Promise<Meminfo | undefined> {
  let text: string;
  try {
    text = await readFile('/proc/meminfo', 'utf8');
  } catch {
    return undefined;
  }
  const kb = Object.fromEntries([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1]!, Number(m[2]) * 1024]));
  const field = (name: string) => kb[name] ?? 0;
  // MemAvailable is the kernel's own estimate (Linux 3.14+); before it, free plus caches.
  const available = kb.MemAvailable ?? field('MemFree') + field('Buffers') + field('Cached') + field('SReclaimable');
  return { total: field('MemTotal'), available, swapTotal: field('SwapTotal'), swapUsed: field('SwapTotal') - field('SwapFree') };
}
