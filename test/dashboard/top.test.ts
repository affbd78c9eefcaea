import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempDir } from '../support/cli.js';
import { BOOKS, dashboardEnv, runFixture, writeRawRecord } from './dashboard-cli.js';

const state = tempDir('runbook-top-');
const pm2Home = tempDir('runbook-top-nopm2-');
const env = dashboardEnv(state.dir, { PM2_HOME: pm2Home.dir, LANG: 'C.UTF-8' });
const SGR = /\x1b\[[0-9;]*m/g;
const ESCAPES = /\x1b\[[0-9;?]*[a-zA-Z]/g;

beforeAll(async () => {
  writeRawRecord(state.dir, { playbook: 'daily-report', run_id: '20200102-060000-bbbbbb', started_at: '2020-01-02T06:00:00.000Z', output: 'report written' });
  await runFixture('hourly-check', env, ['--metric', 'load.1=60']);
});

afterAll(() => {
  state.remove();
  pm2Home.remove();
});

/** `runbook top` in a pseudo-terminal of `cols` columns (util-linux `script`); `q` is typed once two frames were drawn. */
function topInTerminal(opts: { cols: number; env: Record<string, string | undefined> }): Promise<{ code: number | null; output: string }> {
  const command = `stty cols ${opts.cols} rows 50; exec '${process.execPath}' '${BIN}' --dir '${BOOKS}' top --interval 1s`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let typed = false;
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (!typed && (output.match(/runbook top /g) ?? []).length >= 2) {
      typed = true;
      child.stdin.write('q');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('runbook top --once', () => {
  it('prints one plain frame: the box, PM2, each playbook\'s last and next run', async () => {
    const result = await runCli(['--dir', BOOKS, 'top', '--once'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ESCAPES);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^runbook top  \S+  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(lines).toContainEqual(expect.stringMatching(/^Memory  [\d.]+% used, /));
    expect(lines).toContainEqual(expect.stringMatching(/^Load    [\d.]+ [\d.]+ [\d.]+ on \d+ cores/));
    expect(lines).toContainEqual(`PM2: PM2 is not running (no daemon under ${pm2Home.dir}): every PM2 service is down`);
    expect(lines).toContainEqual(expect.stringMatching(/^hourly-check +\d{4}-\d\d-\d\d \d\d:\d\d +WARNING +\d+ms +\d{4}-\d\d-\d\d \d\d:00 +!$/));
    expect(lines).toContainEqual(expect.stringMatching(/^by-hand +- +never run +- +by hand$/));
    expect(lines).toContainEqual(expect.stringMatching(/^daily-report +2020-01-02 06:00 +OK +5ms +\d{4}-\d\d-\d\d 06:00 +MISSED +\u2713$/));
  });

  it('fits a narrow terminal (COLUMNS) and keeps to ASCII outside a UTF-8 locale', async () => {
    const result = await runCli(['--dir', BOOKS, 'top', '--once'], { env: { ...env, COLUMNS: '40', LANG: 'C' } });
    const lines = result.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(40);
    expect(result.stdout).toMatch(/^PLAYBOOK .*>$/m);
    expect(result.stdout).toMatch(/^[\x00-\x7f]*$/);
  });
});

describe('runbook top, live in a terminal', () => {
  it('redraws on the alternate screen, fits the width, quits on q and gives the screen back', async () => {
    const { code, output } = await topInTerminal({ cols: 60, env: { ...env, NO_COLOR: undefined, TERM: 'xterm' } });
    expect(code).toBe(0);
    expect(output).toContain('\x1b[?1049h');
    expect(output.trimEnd().endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(output).toContain('every 1s, q quits');
    expect(output).toContain('\x1b[33mWARNING\x1b[39m'); // colour in a terminal
    const visible = output.replace(ESCAPES, '').split(/\r?\n/);
    expect(Math.max(...visible.map((line) => [...line].length))).toBeLessThanOrEqual(60);
  });

  it('has no colour under NO_COLOR', async () => {
    const { code, output } = await topInTerminal({ cols: 100, env: { ...env, NO_COLOR: '1', TERM: 'xterm' } });
    expect(code).toBe(0);
    expect(output).toContain('WARNING');
    expect(output).not.toMatch(SGR);
  });
});
