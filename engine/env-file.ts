import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Cron starts runbook with an almost empty environment, so the settings playbooks read
 * (SLACK_WEBHOOK, SMTP_URL, DATABASE_URL...) live in a file: RUNBOOK_ENV_FILE, by default
 * ~/.config/runbook/env, as NAME=value lines. A playbook sees only the names it declares under
 * `env:` (masked when declared secret), and the real environment wins over the file.
 */
export function envFilePath(env: NodeJS.ProcessEnv): string {
  return env.RUNBOOK_ENV_FILE || path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'runbook', 'env');
}

/** The settings in the env file (none when it does not exist); says so when others can read it. */
export function readSettings(warn: (line: string) => void): Record<string, string> {
  const file = envFilePath(process.env);
  if (!existsSync(file)) return {};
  if (statSync(file).mode & 0o077) warn(`runbook: ${file} holds secrets but other users can read it: chmod 600 ${file}`);
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}
