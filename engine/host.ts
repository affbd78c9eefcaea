import os from 'node:os';

/** The host runs are recorded under: RUNBOOK_HOST (a fleet's name for this box), else the hostname. */
export function hostName(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNBOOK_HOST || os.hostname();
}
