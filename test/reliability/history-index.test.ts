import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const work = freshTempDir();
const env = () => cliEnv(path.join(work.dir, 'state'));
const index = () => path.join(work.dir, 'state', 'runs', 'ok', 'index.json');

describe('a damaged history index', () => {
  it.each([
    ['unreadable', () => writeFileSync(index(), '[{"run_id": "2026')],
    ['missing', () => rmSync(index())],
  ])('%s: history is rebuilt from the run records, said once on stderr, and runs go on adding to it', async (why, damage) => {
    writeFileSync(path.join(work.dir, 'ok.yaml'), 'title: ok\nsteps:\n  - name: Say\n    type: shell\n    run: echo hi\n');
    for (let i = 0; i < 2; i++) expect((await runCli(['--dir', work.dir, 'run', 'ok'], { env: env() })).code).toBe(0);
    const before = (await runCli(['history', 'ok', '--json'], { env: env() })).stdout;
    damage();
    const rebuilt = await runCli(['history', 'ok', '--json'], { env: env() });
    expect(rebuilt.stderr).toBe(`runbook: the history index of ok was ${why}: rebuilt from 2 run records\n`);
    expect(rebuilt.stdout).toBe(before);
    const again = await runCli(['history', 'ok', '--json'], { env: env() });
    expect(again.stderr).toBe('');
    expect((await runCli(['--dir', work.dir, 'run', 'ok'], { env: env() })).code).toBe(0);
    expect(JSON.parse((await runCli(['history', 'ok', '--json'], { env: env() })).stdout).runs).toHaveLength(3);
  });
});
