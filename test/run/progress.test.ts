import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'run');
const ESCAPE = '\u001b[';
const state = freshTempDir();

describe('progress output', () => {
  it('without a terminal: a plain line per event, no escape codes, the summary last', async () => {
    for (const extra of [{}, { CI: 'true', NO_COLOR: undefined }]) {
      const result = await runCli(['--dir', DIR, 'run', 'when'], { env: cliEnv(state.dir, extra) });
      expect(result.stdout).not.toContain(ESCAPE);
      expect(result.stdout.split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/^== when: When gates \(run \d{8}-\d{6}-[0-9a-f]{6}\)$/),
        '[start] Broken step',
        '    | about to fail',
        expect.stringMatching(/^\[FAILED\] Broken step: command failed \(exit code 4\) \(\d+ms\)$/),
        '[SKIPPED] Needs success: on-success: an earlier step failed (0ms)',
        '[start] Recover',
        '    | recovering',
        expect.stringMatching(/^\[OK\] Recover \(\d+ms\)$/),
        '[start] Always',
        '    | always runs',
        expect.stringMatching(/^\[OK\] Always \(\d+ms\)$/),
        'WHEN CRITICAL - Broken step: command failed (exit code 4)',
      ]);
    }
  });

  it('in a terminal: listr2 live rendering, and a failed step keeps its output on screen', () => {
    // `script` gives the CLI a real pseudo-terminal, as an operator's ssh session would.
    const command = `stty cols 120; ${process.execPath} ${BIN} --dir ${DIR} run when`;
    const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: cliEnv(state.dir, { NO_COLOR: undefined, TERM: 'xterm' }), encoding: 'utf8', timeout: 30_000,
    });
    expect(result.stdout).toContain(ESCAPE);
    expect(result.stdout).toContain('✖');
    expect(result.stdout).toContain('Broken step');
    expect(result.stdout).toContain('    | about to fail');
    expect(result.stdout).toContain('WHEN CRITICAL - Broken step: command failed (exit code 4)');
    expect(result.status).toBe(2);
  });
});
