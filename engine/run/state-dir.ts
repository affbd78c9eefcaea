import os from 'node:os';
import path from 'node:path';

/** The state directory: RUNBOOK_STATE_DIR, default ~/.local/state/runbook. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.RUNBOOK_STATE_DIR || path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'runbook'));
}
