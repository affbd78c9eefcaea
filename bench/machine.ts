import { median, round } from './measure.js';

const PAGE = 4096;

/**
 * What touching one page of fresh memory costs here (a page fault), µs: a fraction of a µs on
 * most machines, ten and more under some hypervisors. Every run pays it for each page node and
 * runbook touch, and a spawn pays it again for each page the parent writes after the fork, so the
 * ratios of this bench move with it from one machine to the next.
 */
export function pageFaultMicros(): number {
  const pages = 16384; // 64 MiB: past malloc's heap, mapped fresh
  // Per fault the kernel counted, not per page touched: where huge pages apply, one fault maps 512.
  const sample = () => {
    const memory = Buffer.allocUnsafeSlow(pages * PAGE);
    const faults = process.resourceUsage().minorPageFault;
    const start = process.hrtime.bigint();
    for (let page = 0; page < pages; page++) memory[page * PAGE] = 1;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e3;
    return elapsed / Math.max(1, process.resourceUsage().minorPageFault - faults);
  };
  return round(median(Array.from({ length: 5 }, sample)), 2);
}
