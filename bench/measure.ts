import { spawnSync } from 'node:child_process';

export interface Run {
  ms: number;
  /** Peak RSS of the command (GNU time's maximum resident set size), MiB. */
  rssMb: number;
  /** Minor page faults of the command and the children it waited for (GNU time's %R). */
  faults: number;
}

export interface Side {
  medianMs: number;
  /** The median of the runs' peak RSS, MiB. */
  rssMb: number;
  /** The median of the runs' minor page faults. */
  faults: number;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
/** `value` to `digits` decimals, as every figure of the bench is shown. */
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs a command once under GNU time: wall time, peak RSS and page faults (on a line of their own,
 * after whatever the command left on stderr). Exit codes 0-2 (OK, WARN, CRIT) are fine.
 */
export function once(command: string[], env: NodeJS.ProcessEnv): Run {
  const start = process.hrtime.bigint();
  // No input (cron gives a job an empty pipe). Not node's default 'pipe': a socket, on which bash
  // with SHLVL unset (as under cron) takes itself for sshd's and reads ~/.bashrc first (+180 ms here).
  const result = spawnSync('/usr/bin/time', ['-f', '\\n%M %R', ...command], { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status === null || result.status > 2) throw new Error(`${command.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.slice(-2000)}`);
  const [rssKb, faults] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number];
  return { ms, rssMb: rssKb / 1024, faults };
}

export function side(runs: Run[]): Side {
  return { medianMs: round(median(runs.map((r) => r.ms))), rssMb: round(median(runs.map((r) => r.rssMb))), faults: median(runs.map((r) => r.faults)) };
}

/**
 * A and B in turn, `times` pairs (after one warm-up pair), so a machine whose speed drifts
 * moves both alike; the ratio is the median of each pair's A/B.
 */
export function paired(a: string[], b: string[], opts: { env: NodeJS.ProcessEnv; times: number; envOfB?: NodeJS.ProcessEnv }): { a: Side; b: Side; ratio: number; rssRatio: number } {
  const envOfB = opts.envOfB ?? opts.env;
  once(a, opts.env);
  once(b, envOfB);
  const pairs = Array.from({ length: opts.times }, () => [once(a, opts.env), once(b, envOfB)] as const);
  return {
    a: side(pairs.map(([x]) => x)),
    b: side(pairs.map(([, y]) => y)),
    ratio: round(median(pairs.map(([x, y]) => x.ms / y.ms)), 2),
    rssRatio: round(median(pairs.map(([x, y]) => x.rssMb / y.rssMb)), 2),
  };
}

export function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}
