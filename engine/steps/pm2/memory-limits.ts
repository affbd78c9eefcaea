import os from 'node:os';
import type { ProcessDescription } from 'pm2';
import { formatBytes } from '../../template/helpers.js';
import { envOf, nameOf } from './processes.js';

/** pm2 keeps `max_memory_restart` in bytes ("300M" in the ecosystem file becomes 314572800). */
export function limitOf(proc: ProcessDescription): number | undefined {
  const limit = Number(envOf(proc).max_memory_restart);
  return Number.isFinite(limit) && limit > 0 ? limit : undefined;
}

/**
 * Each process's `max_memory_restart` against the box's memory, as pm2 itself holds it (not a
 * copy of the ecosystem file that may have drifted): the processes without one, and what the
 * limits add up to as a share of the memory (above 100%, the box swaps before pm2 restarts any).
 */
export function memoryLimits(procs: ProcessDescription[]) {
  const box = os.totalmem();
  const limits = procs.map((proc) => ({ name: nameOf(proc), limit: limitOf(proc) }));
  const missing = limits.filter((entry) => entry.limit === undefined).map((entry) => entry.name);
  const total = limits.reduce((sum, entry) => sum + (entry.limit ?? 0), 0);
  return {
    no_memory_limit: missing,
    no_memory_limit_count: missing.length,
    memory_limits_percent: Math.round((1000 * total) / box) / 10,
    memory_limits_text: `${limits.map((entry) => `${entry.name} ${entry.limit === undefined ? 'none' : formatBytes(entry.limit)}`).join(', ') || 'no process'}; the box has ${formatBytes(box)}`,
  };
}
