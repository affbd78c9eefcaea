import path from 'node:path';
import type { ProcessDescription } from 'pm2';
import type { Pm2Step } from '../../playbook/types.generated.js';
import type { StepOutcome, StepRunContext } from '../types.js';
import { matcher } from './log-match.js';
import { scanFile, type MatchedLine } from './log-scan.js';
import { timeReader } from './log-time.js';
import { markAt, marksOf, resumeAt, type LogMark, type LogMarks } from './log-marks.js';
import { envOf, nameOf } from './processes.js';

// `appended`: a log without timestamps, read from where the previous scan of the step stopped.
type TimeSource = 'timestamps' | 'mtime' | 'appended';

interface LogScanOptions {
  targets: ProcessDescription[];
  pattern: string;
  ignoreCase: boolean;
  since?: number;
  keep: number;
  signal: AbortSignal;
  /**
   * With `since`: where the previous scan stopped in each log without timestamps. Their lines
   * carry no time, so what was appended since is the only window that does not count an old
   * stack trace again every run.
   */
  marks?: LogMarks;
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
  const resumes = opts.marks !== undefined && opts.since !== undefined;
  const unstamped: Record<string, string> = {};
  const marks: Record<string, LogMark> = {};
  const scannedAt = new Date().toISOString();
  let bytes = 0;
  for (const proc of opts.targets) {
    const name = nameOf(proc);
    const timeOf = timeReader(envOf(proc));
    byProcess[name] ??= 0;
    timeSources[name] = timeOf ? 'timestamps' : resumes ? 'appended' : 'mtime';
    for (const file of logFiles(proc)) {
      if (scanned.has(file)) continue;
      scanned.add(file);
      const resume = !timeOf && resumes ? await resumeAt(file, opts.marks![file]) : undefined;
      if (resume) unstamped[file] = resume.window;
      const found = await scanFile({ file, matcher: match, since: opts.since, timeOf, keep: opts.keep, signal: opts.signal, from: resume?.from });
      const mark = resume && (await markAt(file, found.end, scannedAt));
      if (mark) marks[file] = mark;
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
    // Each log without timestamps and the window it was counted in.
    unstamped,
    marks,
  };
}

/** "a.log, b.log: the whole file (first scan); c.log: what was appended since the scan at T". */
function windowsInWords(unstamped: Record<string, string>): string {
  const byWindow = new Map<string, string[]>();
  for (const [file, window] of Object.entries(unstamped)) byWindow.set(window, [...(byWindow.get(window) ?? []), path.basename(file)]);
  return [...byWindow].map(([window, files]) => `${files.join(', ')}: ${window}`).join('; ');
}

const TURN_ON_TIMES = 'turn on timestamps with `time: true` in the ecosystem file (or `pm2 start --time`) to window them by time';

/**
 * The `logs` action: scans, says per process how many lines matched and how it was windowed,
 * and moves the step's marks on in its state (not in a dry run: the port ignores the write).
 */
export async function scanLogsStep(ctx: StepRunContext<Pm2Step>, opts: Omit<LogScanOptions, 'signal' | 'marks'>): Promise<StepOutcome> {
  const { marks, ...output } = await scanLogs({ ...opts, signal: ctx.signal, marks: opts.since === undefined ? undefined : marksOf(ctx.state.read()) });
  if (opts.since !== undefined) ctx.state.write({ files: marks });
  for (const [name, count] of Object.entries(output.by_process)) {
    ctx.log(`${name}: ${count} lines match /${output.pattern}/${output.since ? ` since ${output.since}` : ''} (times from ${output.time_sources[name]})`);
  }
  for (const [file, window] of Object.entries(output.unstamped)) ctx.log(`${file} has no timestamps: counted ${window}`);
  output.lines.forEach((line) => ctx.log(line));
  const message = Object.keys(output.unstamped).length
    ? `${output.matches} lines match /${output.pattern}/; logs without timestamps: ${windowsInWords(output.unstamped)}; ${TURN_ON_TIMES}`
    : undefined;
  return { output: { ...output, pm2_running: true }, value: output.matches, ...(message ? { message } : {}) };
}
