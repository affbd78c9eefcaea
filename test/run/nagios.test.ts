import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'run');
const state = freshTempDir();
const run = (args: string[]) => runCli(['--dir', DIR, 'run', ...args], { env: cliEnv(state.dir) });

describe('runbook run --format nagios', () => {
  it('prints the status line with perfdata first, then a line per step, and nothing else', async () => {
    const result = await run(['alert', '--metric', 'swap.used_percent=23', '--format', 'nagios']);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'ALERT WARNING - swap used 23% above 20% (simulated) | swap=23%;20;80',
      'WARNING Swap usage: swap used 23% above 20% (simulated)',
      'SKIPPED Emergency: only if “Swap usage” is critical',
      'OK Note',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  it('a run that cannot start still gives NRPE a status line: UNKNOWN and why', async () => {
    const result = await run(['confirm', '--format', 'nagios']);
    expect(result.stdout).toBe('RUNBOOK UNKNOWN - param `marker` is required: pass --param marker=VALUE\n');
    expect(result.code).toBe(3);
    expect((await run(['alert', '--format', 'xml'])).stderr).toContain('--format xml: give plain, json, nagios');
  });
});
