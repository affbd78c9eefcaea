import type { ProcessDescription } from 'pm2';
import { matcher } from './log-match.js';
import { scanFile, type MatchedLine } from './log-scan.js';
import { timeReader } from './log-time.js';
import { envOf, nameOf } from './processes.js';

type TimeSource = 'timestamps' | 'mtime';

interface LogScanOptions {
  targets: ProcessDescription[];
  pattern: string;
  ignoreCase: boolean;
  since?: number;
  keep: number;
  signal: AbortSignal;
}

function logFiles(proc: ProcessDescription): string[] {
  const env = envOf(proc);
  return [env.pm_out_log_path, env.pm_err_log_path].filter((file): file is string => !!file && !/\/dev\/null|NULL/.test(file));
}

/**
 * The `logs` output: matching lines in each targeted process's out and error logs. Files are
 * scanned once even when instances share them (cluster mode, merged logs).
 */
export async function scanLogs(opts: LogScanOptions) {
  const byProcess: Record<string, number> = {};
  const timeSources: Record<string, TimeSource> = {};
  const matched: MatchedLine[] = [];
  const scanned = new Set<string>();
  const match = matcher(opts.pattern, opts.ignoreCase);
  let bytes = 0;
  for (const proc of opts.targets) {
    const name = nameOf(proc);
    const timeOf = timeReader(envOf(proc));
    byProcess[name] ??= 0;
    timeSources[name] = timeOf ? 'timestamps' : 'mtime';
    for (const file of logFiles(proc)) {
      if (scanned.has(file)) continue;
      scanned.add(file);
      const found = await scanFile({ file, matcher: match, since: opts.since, timeOf, keep: opts.keep, signal: opts.signal });
      byProcess[name] += found.matches;
      bytes += found.bytes;
      matched.push(...found.last.map((line) => ({ time: line.time, text: `${name} | ${line.text}` })));
    }
  }
  const sources = new Set(Object.values(timeSources));
  return {
    pattern: opts.pattern,
    since: opts.since === undefined ? null : new Date(opts.since).toISOString(),
    matches: Object.values(byProcess).reduce((sum, n) => sum + n, 0),
    by_process: byProcess,
    // Oldest first across all files; lines of unknown time sort first.
    lines: opts.keep > 0 ? matched.sort((a, b) => (a.time ?? 0) - (b.time ?? 0)).slice(-opts.keep).map((line) => line.text) : [],
    time_source: sources.size > 1 ? 'mixed' : ([...sources][0] ?? 'mtime'),
    time_sources: timeSources,
    files: scanned.size,
    bytes_scanned: bytes,
  };
}
