import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const state = freshTempDir();
const hook = 'https://hooks.slack.test/services/T000/B000/XXXXSECRET';

function envFile(mode: number): string {
  const file = path.join(state.dir, 'env');
  writeFileSync(file, `ALERT_EMAIL=ops@example.test\nSLACK_WEBHOOK="${hook}"\n`);
  chmodSync(file, mode);
  return file;
}

const run = (extra: Record<string, string>) => runCli(['--dir', path.join(FIXTURES, 'run'), 'run', 'env-file'], { env: cliEnv(state.dir, extra) });

describe('the env file (for cron, which has no environment of its own)', () => {
  it('gives playbooks their settings; secrets from it are masked like any other', async () => {
    const result = await run({ RUNBOOK_ENV_FILE: envFile(0o600) });
    expect(result.stdout).toContain(`mail=ops@example.test hook=*** length=${hook.length}`);
    expect(result.stdout + result.stderr).not.toContain(hook);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a playbook sees only the names it declares: an undeclared secret in the file never reaches it', async () => {
    const result = await runCli(['--dir', path.join(FIXTURES, 'run'), 'run', 'env-undeclared'], { env: cliEnv(state.dir, { RUNBOOK_ENV_FILE: envFile(0o600) }) });
    expect(result.stdout).toContain('webhook=absent');
    expect(result.code).toBe(0);
  });

  it('the real environment wins over the file', async () => {
    const result = await run({ RUNBOOK_ENV_FILE: envFile(0o600), ALERT_EMAIL: 'oncall@example.test' });
    expect(result.stdout).toContain('mail=oncall@example.test');
  });

  it('warns when other users can read the file', async () => {
    const file = envFile(0o644);
    const result = await run({ RUNBOOK_ENV_FILE: file });
    expect(result.stderr).toContain(`runbook: ${file} holds secrets but other users can read it: chmod 600 ${file}`);
    expect(result.code).toBe(0);
  });

  it('without it, a required setting is named and nothing runs', async () => {
    const result = await run({});
    expect(result.stderr).toContain('environment variable ALERT_EMAIL is required but not set');
    expect(result.code).toBe(3);
  });
});
