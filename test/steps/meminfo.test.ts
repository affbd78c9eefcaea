import { describe, expect, it } from 'vitest';
import { readMeminfo } from '../../engine/steps/support/meminfo.js';

describe('memory readings from /proc/meminfo', () => {
  it('are the numbers systeminformation reads (which the readings came from before)', async () => {
    const { default: si } = await import('systeminformation');
    const [proc, mem] = await Promise.all([readMeminfo(), si.mem()]);
    expect(proc).toBeDefined();
    expect(proc!.total).toBe(mem.total);
    expect(proc!.swapTotal).toBe(mem.swaptotal);
    // Read a moment apart on a live box: within 64 MiB of each other.
    expect(Math.abs(proc!.available - mem.available)).toBeLessThan(64 * 2 ** 20);
    expect(Math.abs(proc!.swapUsed - mem.swapused)).toBeLessThan(64 * 2 ** 20);
  });
});
