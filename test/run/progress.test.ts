import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, BIN, cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

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

  it('in a terminal: listr2 live rendering with the plain markers, and a failed step keeps its output on screen', () => {
    // `script` gives the CLI a real pseudo-terminal, as an operator's ssh session would.
    const command = `stty cols 120; ${process.execPath} ${BIN} --dir ${DIR} run when`;
    const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: cliEnv(state.dir, { NO_COLOR: undefined, TERM: 'xterm' }), encoding: 'utf8', timeout: 30_000,
    });
    expect(result.stdout).toContain(ESCAPE);
    // The live frame is cleared as each step ends; the step's line then uses the same markers as cron logs.
    expect(result.stdout).toMatch(/\[FAILED\] Broken step: command failed \(exit code 4\)/);
    expect(result.stdout).toContain('[SKIPPED] Needs success: on-success: an earlier step failed');
    expect(result.stdout).toMatch(/\[OK\] Recover \(/);
    expect(result.stdout).toContain('    | about to fail');
    expect(result.stdout).toContain('WHEN CRITICAL - Broken step: command failed (exit code 4)');
    expect(result.status).toBe(2);
  });
});

/** Runs the CLI in a pseudo-terminal (`script`); `type` is called with a way to press keys. */
function inTerminal(args: string[], type: (press: (keys: string) => void, screen: () => string) => Promise<void>): Promise<{ screen: string; code: number | null }> {
  const command = `stty cols 120; exec ${process.execPath} ${BIN} ${args.join(' ')}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: cliEnv(state.dir, { NO_COLOR: undefined, TERM: 'xterm' }) });
  let screen = '';
  child.stdout.on('data', (chunk) => (screen += chunk));
  void type((keys) => child.stdin.write(keys), () => screen);
  return new Promise((resolve) => child.on('close', (code) => resolve({ screen: screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''), code })));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('in a terminal', () => {
  it('a manual step shows its instructions and asks; the answer is recorded', async () => {
    const dir = path.join(state.dir, 'playbooks');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'manual.yaml'), 'title: Manual\nsteps:\n  - { name: Echo, type: shell, run: echo before }\n  - { name: Do the thing, type: manual, instructions: Turn it off and on again. }\n  - { name: After, type: shell, run: echo after }\n');
    const result = await inTerminal(['--dir', dir, 'run', 'manual'], async (press, screen) => {
      await until(() => screen().includes('Done?'));
      press('\r');
    });
    expect(result.screen).toContain('Turn it off and on again.');
    expect(result.screen).toContain('[OK] Do the thing');
    expect(result.screen).toContain('MANUAL OK - 3 steps ok');
    expect(result.code).toBe(0);
  });

  it('Ctrl-C under the live renderer kills the step, records the run and releases the lock', async () => {
    const pidfile = path.join(state.dir, 'pid');
    const result = await inTerminal(['--dir', DIR, 'run', 'slow', '--param', `pidfile=${pidfile}`], async (press) => {
      await until(() => existsSync(pidfile) && readFileSync(pidfile, 'utf8').trim() !== '');
      press('\u0003');
    });
    expect(result.screen).toContain('SLOW UNKNOWN - interrupted by SIGINT');
    expect(alive(Number(readFileSync(pidfile, 'utf8')))).toBe(false);
    expect(readdirSync(path.join(state.dir, 'locks'))).toEqual([]);
    expect(result.code).toBe(3);
  });

  it('SIGTERM while a confirm question waits stops the run (UNKNOWN), runs nothing more and unlocks', async () => {
    const marker = path.join(state.dir, 'destroyed');
    const result = await inTerminal(['--dir', DIR, 'run', 'confirm', '--param', `marker=${marker}`], async (_, screen) => {
      await until(() => screen().includes('Run "Destroy"?'));
      // The CLI itself, not the `script` wrapper whose command line holds the same words.
      const pid = spawnSync('pgrep', ['-f', `^${process.execPath} ${BIN} .*marker=${marker}`], { encoding: 'utf8' }).stdout.trim();
      process.kill(Number(pid), 'SIGTERM');
    });
    expect(result.screen).toContain('CONFIRM UNKNOWN - interrupted by SIGTERM');
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(path.join(state.dir, 'locks'))).toEqual([]);
    expect(result.code).toBe(3);
  });
});
