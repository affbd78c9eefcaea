import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { alive, BIN, cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';
import { readableCopy } from '../support/packages.js';

const DIR = path.join(FIXTURES, 'run');
const state = freshTempDir();
const work = freshTempDir();

const run = (name: string, ...args: string[]) => runCli(['--dir', DIR, 'run', name, ...args], { env: cliEnv(state.dir) });

interface JsonStep { name: string; status: string; level: string; error: string | null; output: Record<string, unknown> }
async function runJson(name: string, ...args: string[]) {
  const result = await run(name, '--json', ...args);
  return { ...result, doc: JSON.parse(result.stdout) as { status: string; exit_code: number; summary: string; steps: JsonStep[]; alerts: unknown[] } };
}
const statuses = (steps: JsonStep[]) => steps.map((step) => `${step.name}=${step.status}`);

describe('step semantics', () => {
  it('a failure skips on-success steps, runs on-failure and always steps, and exits CRITICAL', async () => {
    const { code, doc } = await runJson('when');
    expect(statuses(doc.steps)).toEqual(['Broken step=failed', 'Needs success=skipped', 'Recover=ok', 'Always=ok']);
    expect(doc.steps[0]!.error).toBe('command failed (exit code 4)');
    expect(doc.steps[0]!.output.stdout).toBe('about to fail');
    expect(doc.status).toBe('CRITICAL');
    expect(code).toBe(2);
  });

  it('continue_on_error makes a failure a WARNING and later steps still run', async () => {
    const { code, doc } = await runJson('continue');
    expect(statuses(doc.steps)).toEqual(['Optional cleanup=failed', 'Main work=ok']);
    expect(doc.steps[0]!.level).toBe('warn');
    expect(code).toBe(1);
  });

  it('on-alert and if follow the assertion level; --metric readings are marked simulated', async () => {
    const warn = await runJson('alert', '--metric', 'swap.used_percent=23');
    expect(statuses(warn.doc.steps)).toEqual(['Swap usage=warn', 'Emergency=skipped', 'Note=ok']);
    expect(warn.doc.summary).toBe('ALERT WARNING - swap used 23% above 20% (simulated) | swap=23%;20;80');
    expect(warn.code).toBe(1);

    const critical = await runJson('alert', '--metric', 'swap.used_percent=85');
    expect(statuses(critical.doc.steps)).toEqual(['Swap usage=critical', 'Emergency=ok', 'Note=ok']);
    expect(critical.doc.steps[1]!.output.stdout).toBe('emergency for 85');
    expect(critical.code).toBe(2);

    const ok = await runJson('alert', '--metric', 'swap.used_percent=5', '--var', 'swap_warn=50');
    expect(statuses(ok.doc.steps)).toEqual(['Swap usage=ok', 'Emergency=skipped', 'Note=skipped']);
    expect(ok.code).toBe(0);
  });

  it('retries a failed step with the delay doubling, and records the attempts', async () => {
    const counter = path.join(work.dir, 'count');
    const result = await run('retries', '--param', `counter=${counter}`);
    expect(result.stdout).toContain('attempt 1 of 4 failed');
    expect(result.stdout).toContain('attempt 2 of 4 failed');
    expect(result.stdout).toMatch(/\[OK\] Flaky \(\d+ms, 3 attempts\)/);
    expect(readFileSync(counter, 'utf8').trim()).toBe('3');
    expect(result.code).toBe(0);
  });

  it('a timeout kills the step and every process it started', async () => {
    const pidfile = path.join(work.dir, 'pid');
    const { code, doc } = await runJson('timeout', '--param', `pidfile=${pidfile}`);
    expect(doc.steps[0]!.error).toBe('timed out after 1.0s; its processes were killed');
    expect(doc.steps[1]!.output.stdout).toBe('after the timeout');
    const grandchild = Number(readFileSync(pidfile, 'utf8'));
    expect(alive(grandchild)).toBe(false);
    expect(code).toBe(2);
  });

  it('a confirm step without a terminal stops the run UNKNOWN unless --yes approves it', async () => {
    const marker = path.join(work.dir, 'destroyed');
    const refused = await run('confirm', '--param', `marker=${marker}`);
    expect(refused.stdout).toContain('[OK] Look first');
    expect(refused.stdout).toContain('CONFIRM UNKNOWN - step `Destroy` needs approval: rerun with --yes');
    expect(existsSync(marker)).toBe(false);
    expect(refused.code).toBe(3);

    const approved = await run('confirm', '--param', `marker=${marker}`, '--yes');
    expect(existsSync(marker)).toBe(true);
    expect(approved.code).toBe(0);
  });

  it('answering No at the prompt leaves the step undone and the run WARNING, saying what was declined', async () => {
    const marker = path.join(work.dir, 'destroyed');
    // `script` gives the CLI a real terminal; No is typed once the question shows.
    const command = [process.execPath, BIN, '--dir', DIR, 'run', 'confirm', '--param', `marker=${marker}`].join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...cliEnv(state.dir), TERM: 'dumb' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('(y/N)') && !output.includes(' No')) child.stdin.write('n\r');
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(output).toContain('[SKIPPED] Destroy: declined at the prompt, not done: Destroy');
    expect(output).toContain('CONFIRM WARNING - declined at the prompt, not done: Destroy');
    expect(existsSync(marker)).toBe(false);
    expect(code).toBe(1);
  });

  it('a parameter can never inject a command', async () => {
    const pwned = path.join(work.dir, 'pwned');
    const attacks = [`$(touch ${pwned})`, `\`touch ${pwned}\``, `x; touch ${pwned}`, `x' ; touch ${pwned}; echo '`, `x" && touch ${pwned} && echo "`, `x\ntouch ${pwned}`];
    for (const attack of attacks) {
      const { doc } = await runJson('inject', '--param', `who=${attack}`);
      expect(doc.steps[0]!.status).toBe('ok');
      expect(doc.steps[0]!.output.stdout).toBe(`hello ${attack} and ${attack}`);
      expect(doc.steps[1]!.output.stdout).toBe(`hello ${attack}`);
      expect(doc.steps[2]!.output.stdout).toBe(`after the comment ${attack}`);
      expect(existsSync(pwned)).toBe(false);
    }
  });

  it('templates read the previous run of the same playbook', async () => {
    const first = await runJson('previous', '--param', 'value=10');
    expect(first.doc.steps[1]!.output.stdout).toBe('first run');
    const second = await runJson('previous', '--param', 'value=12');
    expect(second.doc.steps[1]!.output.stdout).toBe('was 10, now 12');
  });

  it('a playbook step runs another playbook with its params and its own record', async () => {
    const result = await run('parent');
    expect(result.stdout).toContain('hi from nested');
    expect(result.stdout).toContain('child said OK');
    expect(result.code).toBe(0);
    const history = (JSON.parse((await runCli(['history', '--json'], { env: cliEnv(state.dir) })).stdout) as { runs: { playbook: string }[] }).runs;
    expect(history.map((h) => h.playbook).sort()).toEqual(['child', 'parent']);
  });

  it('--only reruns one step and --from resumes, reading earlier outputs from the previous run', async () => {
    const full = await runJson('only');
    const firstOut = full.doc.steps[0]!.output.stdout as string;
    const only = await runJson('only', '--only', 'two');
    expect(statuses(only.doc.steps)).toEqual(['One=skipped', 'Two=ok', 'Three=skipped']);
    expect(only.doc.steps[1]!.output.stdout).toBe(`second saw ${firstOut}`);
    const from = await runJson('only', '--from', 'Two');
    expect(statuses(from.doc.steps)).toEqual(['One=skipped', 'Two=ok', 'Three=ok']);
    const bad = await run('only', '--only', 'four');
    expect(bad.stderr).toContain('--only four: no step has that id or name (ids: one, two, three)');
    expect(bad.code).toBe(3);
  });

  it('--dry-run renders every step and runs none', async () => {
    const marker = path.join(work.dir, 'destroyed');
    const result = await run('confirm', '--param', `marker=${marker}`, '--dry-run');
    expect(result.stdout).toContain('1. Look first: would run `echo looking`');
    expect(result.stdout).toContain(`2. Destroy [needs approval]: would run \`touch ${marker}\``);
    expect(existsSync(marker)).toBe(false);
    expect(JSON.parse((await runCli(['history', '--json'], { env: cliEnv(state.dir) })).stdout)).toEqual({ format: 1, runs: [] });
    expect(result.code).toBe(0);
  });

  it('sudo: as root the step just runs; without root and without sudo rights it fails saying why', async () => {
    const asRoot = await runJson('sudo');
    expect(asRoot.doc.steps[0]!.output.stdout).toBe(String(process.getuid!()));
    if (process.getuid!() !== 0) return;
    // `nobody` may not be able to enter the checkout (a clone in a 0700 folder): it runs a copy.
    const copy = readableCopy({ args: ['--dir', DIR, 'run', 'sudo'], playbooks: [path.join(DIR, 'sudo.yaml')] });
    try {
      const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, copy.bin, '--dir', copy.playbooks, 'run', 'sudo'], {
        cwd: copy.state, env: cliEnv(copy.state), encoding: 'utf8',
      });
      expect(nobody.stdout, nobody.stderr).toContain('[FAILED] Who am I: needs root, and `sudo -n` is not allowed for');
      expect(nobody.stdout).toContain('run runbook as root or allow it in sudoers');
      expect(nobody.status).toBe(2);
    } finally {
      copy.remove();
    }
  });

  it('a missing required param stops before anything runs', async () => {
    const result = await run('confirm');
    expect(result.stderr).toContain('param `marker` is required: pass --param marker=VALUE');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(3);
  });
});
