import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Cron starts runbook with an almost empty environment, so the settings playbooks read
 * (SLACK_WEBHOOK, SMTP_URL, DATABASE_URL...) live in a file: RUNBOOK_ENV_FILE, by default
 * ~/.config/runbook/env, as NAME=value lines. The real environment wins over the file.
 */
export function envFilePath(env: NodeJS.ProcessEnv): string {
  return env.RUNBOOK_ENV_FILE || path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'runbook', 'env');
}

/** Loads the env file into `process.env` when it exists; says so when others can read its secrets. */
export function loadEnvFile(warn: (line: string) => void): void {
  const file = envFilePath(process.env);
  if (!existsSync(file)) return;
  if (statSync(file).mode & 0o077) warn(`runbook: ${file} holds secrets but other users can read it: chmod 600 ${file}`);
  process.loadEnvFile(file);
}
