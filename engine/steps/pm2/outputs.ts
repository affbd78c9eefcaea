import type { Pm2Step } from '../../playbook/types.generated.js';
import type { OutputSpec } from '../types.js';

const TABLE = ['processes', 'online', 'stopped', 'errored', 'restarts_total', 'restarts_since_previous'];
const LOGS = ['pattern', 'since', 'matches', 'by_process', 'lines', 'time_source', 'time_sources', 'files', 'bytes_scanned'];
const CHANGES = 'start, stop, restart, reload, delete, flush, resurrect';
const INSPECTED = `action: list, describe, ${CHANGES}`;

/** What each action leaves in `steps.<id>.output` (see actions.ts, inspect.ts, logs.ts). */
export const PM2_OUTPUTS: Record<string, OutputSpec> = {
  processes: { type: 'list', description: 'One row per process: name, pm_id, status, restarts, restarts_since_previous, recent_restarts, memory_bytes, cpu_percent, uptime_ms (describe adds pid, script, cwd, logs...)', when: INSPECTED },
  online: { type: 'number', description: 'Processes online', when: INSPECTED },
  stopped: { type: 'number', description: 'Processes stopped', when: INSPECTED },
  errored: { type: 'number', description: 'Processes in any other status (errored, waiting restart...)', when: INSPECTED },
  restarts_total: { type: 'number', description: 'Sum of the restart counters', when: INSPECTED },
  restarts_since_previous: { type: 'number', description: 'Restarts since the same step of the previous run', when: INSPECTED },
  crash_looping: { type: 'list', description: 'Names of the processes in a crash loop', when: 'action: list, describe' },
  targets: { type: 'list', description: 'Names of the processes acted on', when: `action: ${CHANGES}, save` },
  saved: { type: 'number', description: 'Processes written to the dump file', when: 'action: save' },
  dump_file: { type: 'string', description: 'The dump file written', when: 'action: save' },
  pattern: { type: 'string', description: 'The pattern searched for', when: 'action: logs' },
  since: { type: 'string', description: 'Start of the window (ISO time), or null', when: 'action: logs' },
  matches: { type: 'number', description: 'Matching lines in all the files', when: 'action: logs' },
  by_process: { type: 'object', description: 'Matching lines per process name', when: 'action: logs' },
  lines: { type: 'list', description: 'The last matching lines, "name | line"', when: 'action: logs' },
  time_source: { type: 'string', description: 'timestamps, mtime or mixed: how the window was applied', when: 'action: logs' },
  time_sources: { type: 'object', description: 'The same, per process', when: 'action: logs' },
  files: { type: 'number', description: 'Log files scanned', when: 'action: logs' },
  bytes_scanned: { type: 'number', description: 'Bytes read', when: 'action: logs' },
};

/** The keys a step's action produces. */
export function pm2OutputsOf(step: Pm2Step): string[] {
  switch (step.action) {
    case 'list':
    case 'describe':
      return [...TABLE, 'crash_looping'];
    case 'logs':
      return LOGS;
    case 'save':
      return ['saved', 'dump_file', 'targets'];
    default:
      return ['targets', ...TABLE];
  }
}
