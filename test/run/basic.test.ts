import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

const state = freshTempDir();

describe('runbook run', () => {
  it('runs a playbook, prints each step and the Nagios summary, and exits 0', async () => {
    const result = await runCli(['--dir', path.join(FIXTURES, 'valid'), 'run', 'echo', '--param', 'who=world'], { env: cliEnv(state.dir) });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('[start] Say hello');
    expect(result.stdout).toContain('    | hello world');
    expect(result.stdout).toMatch(/\[OK\] Say hello \(\d+ms\)/);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^ECHO OK - 2 steps ok \| check=0;;$/);
    expect(result.code).toBe(0);
  });
});
