import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const work = freshTempDir();

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

function playbook(log: string): void {
  writeFileSync(path.join(work.dir, 'private.yaml'), [
    'title: private', `log: ${log}`, 'report:', `  path: ${path.join(work.dir, 'reports', 'r.txt')}`,
    'steps:', '  - name: Talk', '    type: shell', '    run: seq 1 3000', '',
  ].join('\n'));
}

describe('files runbook keeps', () => {
  it('are the owner\'s alone: state folders 0700, records, index, report and log 0600', async () => {
    const state = path.join(work.dir, 'state');
    const log = path.join(work.dir, 'logs', 'private.log');
    playbook(log);
    const result = await runCli(['--dir', work.dir, 'run', 'private'], { env: cliEnv(state) });
    expect(result.code).toBe(0);
    const runs = path.join(state, 'runs', 'private');
    expect([state, path.join(state, 'runs'), runs, path.join(state, 'locks'), path.dirname(log)].map(mode)).toEqual(['700', '700', '700', '700', '700']);
    expect(readdirSync(runs).map((f) => mode(path.join(runs, f)))).toEqual(['600', '600']);
    expect([mode(log), mode(path.join(work.dir, 'reports', 'r.txt'))]).toEqual(['600', '600']);
    // Buffered, yet every line is there, the summary last.
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines.filter((line) => /^ {4}\| \d+$/.test(line))).toHaveLength(3000);
    expect(lines.at(-1)).toBe('PRIVATE OK - 1 step ok');
  });

  it('a log that is a symbolic link is refused, once, and the run goes on without touching its target', async () => {
    const target = path.join(work.dir, 'target');
    const log = path.join(work.dir, 'planted.log');
    symlinkSync(target, log);
    playbook(log);
    const result = await runCli(['--dir', work.dir, 'run', 'private'], { env: cliEnv(path.join(work.dir, 'state')) });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`runbook: log ${log} not written: ${log} is a symbolic link: refused (write to the file it points to instead)\n`);
    expect(existsSync(target)).toBe(false);
  });
});
