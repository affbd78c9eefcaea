import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alive, cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'run');
const state = freshTempDir();
const work = freshTempDir();
const env = (extra: Record<string, string> = {}) => cliEnv(state.dir, extra);
const run = (args: string[], extra: Record<string, string> = {}) => runCli(['--dir', DIR, 'run', ...args], { env: env(extra) });

function recordsOf(playbook: string): { status: string; params: Record<string, string>; stopped?: string }[] {
  const folder = path.join(state.dir, 'runs', encodeURIComponent(playbook));
  const dir = existsSync(folder) ? folder : path.join(state.dir, 'runs', playbook);
  return readdirSync(dir).filter((file) => file !== 'index.json').map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
}

describe('robustness of a run', () => {
  it("a playbook step's timeout stops the called run: its processes die, its lock goes, its record says why", async () => {
    const pidfile = path.join(work.dir, 'pid');
    const result = await run(['slow-parent', '--param', `pidfile=${pidfile}`, '--json']);
    const doc = JSON.parse(result.stdout);
    expect(doc.steps[0].error).toContain('timed out after 1.0s');
    expect(alive(Number(readFileSync(pidfile, 'utf8')))).toBe(false);
    const [child] = recordsOf('slow');
    expect(child!.status).toBe('UNKNOWN');
    expect(child!.stopped).toBe("interrupted by the step's timeout (1s)");
    expect(readdirSync(path.join(state.dir, 'locks'))).toEqual([]);
    expect(result.code).toBe(2);
  });

  it("a calling run's secrets stay masked in the called run's record and output", async () => {
    const token = 'tok-9f8e7d6c5b4a';
    const result = await run(['secret-parent'], { API_TOKEN: token });
    expect(result.stdout).toContain('hi from ***');
    expect(JSON.stringify(recordsOf('child'))).not.toContain(token);
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(result.code).toBe(0);
  });

  it('a log file that cannot be written is said once and the run goes on', async () => {
    const playbooks = path.join(work.dir, 'playbooks');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(playbooks);
    writeFileSync(path.join(playbooks, 'logged.yaml'), 'title: Logged\nlog: /proc/version/runbook.log\nsteps:\n  - { name: a, type: shell, run: echo a }\n  - { name: b, type: shell, run: echo b }\n');
    const result = await runCli(['--dir', playbooks, 'run', 'logged'], { env: env() });
    expect(result.stderr.match(/log \/proc\/version\/runbook.log not written/g)).toHaveLength(1);
    expect(result.stdout).toContain('[OK] b');
    expect(result.code).toBe(0);
  });

  it('the summary stays one Nagios line whatever the messages hold', async () => {
    const result = await run(['pipes']);
    const last = result.stdout.trim().split('\n').at(-1)!;
    expect(last).toBe('PIPES WARNING - Fails with pipes and lines: command failed (exit code 1): one / two / three');
    expect(result.code).toBe(1);
  });

  it('--dry-run --json prints the plan; --metric names an existing reading', async () => {
    const plan = await run(['confirm', '--param', 'marker=/tmp/x', '--dry-run', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ playbook: 'confirm', dry_run: true, steps: [{ name: 'Look first' }, { name: 'Destroy', flags: ['needs approval'] }] });
    const typo = await run(['alert', '--metric', 'swap.usedpercent=99']);
    expect(typo.stderr).toContain('--metric swap.usedpercent: no such reading (did you mean `swap.used_percent`?) (readings: swap.used_percent,');
    expect(typo.code).toBe(3);
  });

  it('a flood of output is cut in the record and a runaway command is stopped; a missing cwd is named', async () => {
    const result = await run(['flood', '--json']);
    const doc = JSON.parse(result.stdout);
    expect(doc.steps[0].error).toBe('could not start: the folder /nonexistent-folder (cwd) does not exist');
    expect(doc.steps[1].status).toBe('ok');
    expect(doc.steps[1].output.lines).toHaveLength(1001);
    expect(doc.steps[1].output.lines.at(-1)).toMatch(/more items cut/);
    expect(doc.steps[1].output.stdout).toMatch(/^\[… \d+ characters cut …\]\n[\s\S]*\n50000$/);
    expect(doc.steps[2].error).toBe('stopped: its output passed 16 MiB');
    expect(doc.steps[3].error).toBe('stopped: its output passed 16 MiB');
    const [record] = recordsOf('flood');
    expect(JSON.stringify(record).length).toBeLessThan(1024 * 1024);
    expect(result.code).toBe(2);
  });

  it('a reader that closes stdout early (| head) does not crash the run: it finishes and records itself', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('../support/cli.js');
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --dir "${DIR}" run flood | head -1`], { env: env(), encoding: 'utf8' });
    expect(piped.stderr).not.toContain('EPIPE');
    const [entry] = JSON.parse((await runCli(['history', 'flood', '--json'], { env: env() })).stdout).runs;
    expect(entry.status).toBe('CRITICAL');
  });
});
