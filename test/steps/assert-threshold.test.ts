import { readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'assert');
const state = freshTempDir();

const run = (name: string, ...flags: string[]) => runCli(['--dir', DIR, 'run', name, ...flags], { env: cliEnv(state.dir) });

describe('assert-threshold', () => {
  it('fails a value that is not a number against above/below instead of passing it', async () => {
    const result = await run('percent');
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('[FAILED] Disk usage: value "93%" is not a number (above/below compare numbers)');
    expect(result.stdout).toMatch(/^PERCENT CRITICAL - Disk usage: value "93%" is not a number \(above\/below compare numbers\)$/m);
  });

  it('refuses a literal above/below limit that is not a number at validation, with FILE:LINE:COL', async () => {
    const file = path.join(DIR, 'word-limit.yaml');
    const result = await runCli(['--dir', DIR, 'validate', file], { env: cliEnv(state.dir) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:10:24: limit "ten" is not a number (above/below compare numbers)`);
    // The templated warn limit on line 9 is judged when it renders, not here.
    expect(result.stderr).not.toContain(`${file}:9:`);
    expect((await run('word-limit')).code).toBe(3);
  });

  it('fails the step when a templated limit renders to something that is not a number', async () => {
    const empty = await run('templated-limit', '--var', 'limit=', '--json');
    expect(empty.code).toBe(2);
    const step = JSON.parse(empty.stdout).steps[0];
    expect(step).toMatchObject({ status: 'failed', error: 'critical limit "" is not a number (above/below compare numbers)' });
    const words = await run('templated-limit', '--var', 'limit=ten');
    expect(words.stdout).toContain('[FAILED] Queue depth: critical limit "ten" is not a number');
  });

  it('compares numeric text as numbers and reports perfdata for it', async () => {
    const calm = await run('templated-limit');
    expect(calm.code).toBe(0);
    expect(calm.stdout).toContain('TEMPLATED-LIMIT OK - 1 step ok | queue=12.5;;80');
    const high = await run('templated-limit', '--var', 'limit= 12.25 ');
    expect(high.code).toBe(2);
    expect(high.stdout).toContain('[CRITICAL] Queue depth: Queue depth 12.5 above 12.25');
  });

  it('equals and not_equals compare text', async () => {
    const degraded = await run('text');
    expect(degraded.code).toBe(1);
    expect(degraded.stdout).toContain('[WARN] Replication state: Replication state degraded not streaming');
    const down = await run('text', '--var', 'state=down');
    expect(down.code).toBe(2);
    expect(down.stdout).toContain('[CRITICAL] Replication state: Replication state down equal to down');
    const fine = await run('text', '--var', 'state=streaming');
    expect(fine.code).toBe(0);
  });

  it('a --metric override is compared, marked simulated and reported as perfdata', async () => {
    const result = await run('drill', '--metric', 'swap.used_percent=85');
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('[CRITICAL] Swap usage: swap used 85% above 80% (simulated)');
    expect(result.stdout).toContain('DRILL CRITICAL - swap used 85% above 80% (simulated) | swap=85%;20;80');
    const warn = await run('drill', '--metric', 'swap.used_percent=25', '--json');
    expect(JSON.parse(warn.stdout).steps[0]).toMatchObject({ status: 'warn', value: 25, output: { simulated: true } });
  });

  it('a drill stands on its --metric value: the box is not read for it, and bytes that cannot be read are left out', async () => {
    const drill = await run('drill-mount', '--metric', 'disk.used_percent=99', '--json');
    expect(drill.code).toBe(1);
    const [step] = JSON.parse(drill.stdout).steps;
    expect(step).toMatchObject({ status: 'warn', value: 99, output: { simulated: true } });
    expect(step.output).not.toHaveProperty('used_bytes');
    // Without the drill, the missing mount is the step's failure, as before.
    expect((await run('drill-mount')).stdout).toMatch(/\[FAILED\] Disk usage: .*no-such-mount-for-runbook/);
  });

  it('a percentage reading also gives the bytes it is made of, as /proc/meminfo and statfs have them', async () => {
    const result = await run('memory-parts', '--json');
    expect(result.code).toBe(0);
    const [memory, disk] = JSON.parse(result.stdout).steps;
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
    expect(memory.output.total_bytes).toBe(kb('MemTotal'));
    // Memory moves between the run and this read: close, not equal.
    expect(Math.abs(memory.output.used_bytes - (kb('MemTotal') - kb('MemAvailable')))).toBeLessThan(kb('MemTotal') * 0.05);
    expect(memory.value).toBeCloseTo((memory.output.used_bytes / memory.output.total_bytes) * 100, 0);
    const fs = statfsSync('/');
    expect(disk.output.total_bytes).toBe((fs.blocks - fs.bfree + fs.bavail) * fs.bsize);
    expect(result.stdout).toContain(`memory ${memory.output.used_bytes} of ${memory.output.total_bytes}`);
  });
});
