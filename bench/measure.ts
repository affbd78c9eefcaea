import { spawnSync } from 'node:child_process';

export interface Measured {
  medianMs: number;
  peakRssMb: number;
}

/** Runs a command `times` times; median wall time and the highest peak RSS (GNU time). */
export function measure(command: string[], opts: { times?: number; env?: NodeJS.ProcessEnv } = {}): Measured {
  const walls: number[] = [];
  let rss = 0;
  for (let i = 0; i < (opts.times ?? 15); i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%M', ...command], { env: opts.env ?? process.env, encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0 && result.status !== 1 && result.status !== 2) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
    rss = Math.max(rss, Number(result.stderr.trim().split('\n').at(-1)) / 1024);
  }
  walls.sort((a, b) => a - b);
  return { medianMs: Math.round(walls[Math.floor(walls.length / 2)]! * 10) / 10, peakRssMb: Math.round(rss * 10) / 10 };
}

export function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}
