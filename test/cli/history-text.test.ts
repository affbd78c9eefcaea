import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const temp = freshTempDir();

describe('runbook history', () => {
  it('keeps the summary column to the message: the perfdata stays in --json and show', async () => {
    writeFileSync(path.join(temp.dir, 'reading.yaml'), 'title: Reading\nsteps:\n  - { id: cores, name: Cores, type: assert-threshold, metric: cpu.cores, warn: { below: 0 } }\n');
    const env = cliEnv(path.join(temp.dir, 'state'));
    const run = JSON.parse((await runCli(['--dir', temp.dir, 'run', 'reading', '--json'], { env })).stdout);
    expect(run.summary).toMatch(/^READING OK - 1 step ok \| cores=\d+;0;$/);
    const table = (await runCli(['history'], { env })).stdout.split('\n');
    expect(table[0]).toMatch(/SUMMARY$/);
    expect(table[1]).toMatch(/ reading +OK .* 1 step ok$/);
    expect((await runCli(['history', '--json'], { env })).stdout).toContain(run.summary);
  });
});
