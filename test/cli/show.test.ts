import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'run');
const state = freshTempDir();
const cli = (args: string[]) => runCli(['--dir', DIR, ...args], { env: cliEnv(state.dir) });

describe('runbook show', () => {
  it('shows the last run of a playbook by name, with what each step printed and found', async () => {
    await cli(['run', 'alert', '--metric', 'swap.used_percent=3']);
    await cli(['run', 'alert', '--metric', 'swap.used_percent=23']);
    const shown = (await cli(['show', 'alert'])).stdout.split('\n');
    expect(shown[1]).toMatch(/^run \S+ on \S+, started \S+, WARNING, took /);
    const swap = shown.findIndex((line) => line.startsWith('  WARN     Swap usage: swap used 23% above 20% (simulated)'));
    expect(shown.slice(swap + 1)).toEqual(expect.arrayContaining(['      value: 23', '      simulated: true']));
    const note = shown.findIndex((line) => line.startsWith('  OK       Note'));
    expect(shown[note + 1]).toBe('      | alert seen');
  });

  it('takes a run id or any unique start of one, and says when a start is ambiguous', async () => {
    await cli(['run', 'alert', '--metric', 'swap.used_percent=3']);
    await cli(['run', 'continue']);
    const { runs } = JSON.parse((await cli(['history', '--json'])).stdout) as { runs: { run_id: string; playbook: string }[] };
    const alert = runs.find((run) => run.playbook === 'alert')!.run_id;
    const other = runs.find((run) => run.playbook === 'continue')!.run_id;
    let unique = 1;
    while (other.startsWith(alert.slice(0, unique))) unique++;
    const byPrefix = await cli(['show', alert.slice(0, unique)]);
    expect(byPrefix.stdout).toContain(`run ${alert} `);
    const common = alert.slice(0, 8);
    const ambiguous = await cli(['show', common]);
    expect(ambiguous.stderr).toContain(`\`${common}\` starts 2 run ids:`);
    expect(ambiguous.code).toBe(3);
  });
});
