import type { Pm2Step } from '../../playbook/types.generated.js';
import type { OutputSpec } from '../types.js';

const TABLE = ['processes', 'online', 'stopped', 'errored', 'restarts_total', 'restarts_since_previous'];
const LOGS = ['pattern', 'since', 'matches', 'by_process', 'lines', 'time_source', 'time_sources', 'files', 'bytes_scanned', 'unstamped'];
const INSPECT = ['crash_looping', 'crash_loop_culprit', 'crashes_since_previous', 'crashed', 'crash_summary', 'most_memory', 'most_cpu', 'no_memory_limit', 'no_memory_limit_count', 'memory_limits_percent', 'memory_limits_text', 'pm2_running', 'checked_at'];
const CHANGES = 'start, stop, restart, reload, delete, flush, resurrect';
const INSPECTED = `action: list, describe, ${CHANGES}`;

/** What each action leaves in `steps.<id>.output` (see actions.ts, inspect.ts, logs.ts). */
export const PM2_OUTPUTS: Record<string, OutputSpec> = {
  processes: { type: 'list', description: 'One row per process: name, pm_id, status, restarts, restarts_since_previous, crashes_since_previous, recent_restarts, max_memory_bytes, memory_bytes, cpu_percent, uptime_ms (describe adds pid, script, cwd, logs...)', when: INSPECTED },
  online: { type: 'number', description: 'Processes online', when: INSPECTED },
  stopped: { type: 'number', description: 'Processes stopped', when: INSPECTED },
  errored: { type: 'number', description: 'Processes in any other status (errored, waiting restart...)', when: INSPECTED },
  restarts_total: { type: 'number', description: 'Sum of the restart counters', when: INSPECTED },
  restarts_since_previous: { type: 'number', description: 'Restarts since the same step of the previous run', when: INSPECTED },
  crash_looping: { type: 'list', description: 'Names of the processes in a crash loop, the worst first', when: 'action: list, describe' },
  crash_loop_culprit: { type: 'string', description: 'The process crash-looping the most, "" when none (the one to pass to emergency/crash-loop)', when: 'action: list, describe' },
  crashes_since_previous: { type: 'number', description: 'Crashes (exits no stop, restart or reload asked for, from pm2.log) since the same step of the previous run; null without a daemon', when: 'action: list, describe' },
  crashed: { type: 'list', description: 'Names of the processes that crashed since the previous run', when: 'action: list, describe' },
  crash_summary: { type: 'string', description: 'The crashes per process for messages, "api 3, worker 1", or "none"', when: 'action: list, describe' },
  most_memory: { type: 'string', description: 'The online process using the most memory, "" when none', when: 'action: list, describe' },
  most_cpu: { type: 'string', description: 'The online process using the most CPU, "" when none', when: 'action: list, describe' },
  no_memory_limit: { type: 'list', description: 'Names of the processes without max_memory_restart', when: 'action: list, describe' },
  no_memory_limit_count: { type: 'number', description: 'How many processes have no max_memory_restart', when: 'action: list, describe' },
  memory_limits_percent: { type: 'number', description: "The processes' max_memory_restart added up, as a percentage of the box's memory", when: 'action: list, describe' },
  memory_limits_text: { type: 'string', description: 'Each process\'s max_memory_restart and the box\'s memory, for messages', when: 'action: list, describe' },
  pm2_running: { type: 'boolean', description: 'false when no PM2 daemon answered: the other outputs are empty, not readings', when: 'action: list, describe, logs' },
  checked_at: { type: 'string', description: 'When the process list was read (ISO time), null when no daemon answered; the next run counts crashes from here', when: 'action: list, describe' },
  targets: { type: 'list', description: 'Names of the processes acted on', when: `action: ${CHANGES}, save` },
  saved: { type: 'number', description: 'Processes written to the dump file', when: 'action: save' },
  dump_file: { type: 'string', description: 'The dump file written', when: 'action: save' },
  pattern: { type: 'string', description: 'The pattern searched for', when: 'action: logs' },
  since: { type: 'string', description: 'Start of the window (ISO time), or null', when: 'action: logs' },
  matches: { type: 'number', description: 'Matching lines in all the files', when: 'action: logs' },
  by_process: { type: 'object', description: 'Matching lines per process name', when: 'action: logs' },
  lines: { type: 'list', description: 'The last matching lines, "name | line"', when: 'action: logs' },
  time_source: { type: 'string', description: 'timestamps, appended (no timestamps, with since: what the file gained since the previous scan), mtime (no timestamps, no since) or mixed: how the window was applied', when: 'action: logs' },
  unstamped: { type: 'object', description: 'With since: each log without timestamps and the window it was counted in ("what was appended since the scan at ...", "the whole file (first scan)")', when: 'action: logs' },
  time_sources: { type: 'object', description: 'The same, per process', when: 'action: logs' },
  files: { type: 'number', description: 'Log files scanned', when: 'action: logs' },
  bytes_scanned: { type: 'number', description: 'Bytes read', when: 'action: logs' },
};

/** The keys a step's action produces. */
export function pm2OutputsOf(step: Pm2Step): string[] {
  switch (step.action) {
    case 'list':
    case 'describe':
      return [...TABLE, ...INSPECT];
    case 'logs':
      return [...LOGS, 'pm2_running'];
    case 'save':
      return ['saved', 'dump_file', 'targets'];
    default:
      return ['targets', ...TABLE];
  }
}
