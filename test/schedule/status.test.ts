import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES, newRunId, type RunRecord, type RunStatus } from '../../engine/run/record.js';
import { RunStore } from '../../engine/run/store.js';
import { previousRun } from '../../engine/schedule/next.js';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'schedule');
const HOUR = 3_600_000;
let state: ReturnType<typeof tempDir>;
let store: RunStore;
beforeEach(() => {
  state = tempDir();
  store = new RunStore(state.dir);
});
afterEach(() => state.remove());

/** A finished run, written the way the runner writes it. */
function record(playbook: string, status: RunStatus, started: Date): void {
  const finished = new Date(started.getTime() + 1500);
  const run: RunRecord = {
    format: 1, playbook, title: playbook, run_id: newRunId(started), host: 'test', pid: process.pid,
    status, exit_code: EXIT_CODES[status], started_at: started.toISOString(), finished_at: finished.toISOString(),
    duration_ms: 1500, summary: `${playbook.toUpperCase()} ${status} - fabricated`, alerts: [], simulated: [], params: {}, steps: [],
  };
  store.save(run);
}

interface StatusJson {
  status: string;
  exit_code: number;
  playbooks: { playbook: string; missed: string | null; last_run: { status: string } | null; trend: string[]; next_run: string | null }[];
}

async function status(args: string[] = [], lang = 'C.UTF-8') {
  const result = await runCli(['--dir', DIR, 'status', ...args], { env: cliEnv(state.dir, { LANG: lang }) });
  return { ...result, lines: result.stdout.trim().split('\n') };
}

const lineOf = (lines: string[], name: string) => lines.find((line) => line.startsWith(`${name} `))!;

describe('runbook status', () => {
  it('says MISSED when an hourly playbook has not run for hours, shows the trend, and exits 2', async () => {
    const now = Date.now();
    for (const [hoursAgo, result] of [[6, 'OK'], [5, 'OK'], [4, 'CRITICAL'], [3, 'OK']] as const) record('hourly', result, new Date(now - hoursAgo * HOUR));
    record('weekly', 'OK', (await previousRun({ cron: '0 0 * * 1' }, new Date(now)))!);

    const result = await status();
    expect(result.code).toBe(2);
    expect(lineOf(result.lines, 'hourly')).toMatch(/ OK .* ✓✓✗✓ +MISSED: no run since \w{3} \d{4}-\d\d-\d\d \d\d:00 UTC$/);
    expect(lineOf(result.lines, 'weekly')).toMatch(/ OK .* ✓ +ok$/);
    expect(lineOf(result.lines, 'by-hand')).toMatch(/ by hand +never run$/);
    expect(result.lines.at(-1)).toMatch(/^RUNBOOK STATUS CRITICAL - hourly MISSED \| missed=1 failed=0 invalid=0$/);

    const json = JSON.parse((await status(['--json'])).stdout) as StatusJson;
    expect(json).toMatchObject({ status: 'CRITICAL', exit_code: 2 });
    const hourly = json.playbooks.find((p) => p.playbook === 'hourly')!;
    expect(hourly.trend).toEqual(['OK', 'OK', 'CRITICAL', 'OK']);
    expect(Date.parse(hourly.missed!)).toBeGreaterThan(now - 3 * HOUR);
    expect(Date.parse(hourly.next_run!)).toBeGreaterThan(now);
    expect(json.playbooks.find((p) => p.playbook === 'weekly')!.missed).toBeNull();
  });

  it('keeps an ASCII trend when the locale is not UTF-8', async () => {
    for (const result of ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const) record('hourly', result, new Date());
    expect(lineOf((await status([], 'C')).lines, 'hourly')).toMatch(/ \+!x\? +FAILED$/);
    expect(lineOf((await status([], 'en_US.UTF-8')).lines, 'hourly')).toMatch(/ ✓!✗\? +FAILED$/);
  });

  it('allows a grace period before a scheduled run counts as missed', async () => {
    const due = (await previousRun({ cron: '0 * * * *' }, new Date()))!;
    // The last run started just before the latest firing: that firing has no run.
    record('hourly', 'OK', new Date(due.getTime() - 30_000));
    expect((await status(['--grace', '2h'])).code).toBe(0);
    const strict = await status(['--grace', '0s']);
    expect(strict.code).toBe(2);
    expect(lineOf(strict.lines, 'hourly')).toMatch(/MISSED/);
  });

  it('exits 2 when a last run failed and 1 when it warned, 0 when all is well', async () => {
    const now = new Date();
    record('hourly', 'OK', now);
    expect((await status()).code).toBe(0);
    record('weekly', 'WARNING', now);
    expect((await status()).code).toBe(1);
    record('weekly', 'UNKNOWN', now);
    const failed = await status();
    expect(failed.code).toBe(2);
    expect(failed.lines.at(-1)).toBe('RUNBOOK STATUS CRITICAL - weekly last run UNKNOWN | missed=0 failed=1 invalid=0');
  });

  it('shows the last result of a playbook run by hand without judging it (an emergency run is CRITICAL by nature)', async () => {
    record('by-hand', 'CRITICAL', new Date());
    const result = await status();
    expect(lineOf(result.lines, 'by-hand')).toMatch(/ CRITICAL .* by hand +✗ +ok$/);
    expect(result.code).toBe(0);
  });

  it('a playbook that never ran is not missed: there is no run to count from', async () => {
    const result = await status(['--json']);
    const json = JSON.parse(result.stdout) as StatusJson;
    expect(json.playbooks.find((p) => p.playbook === 'hourly')).toMatchObject({ missed: null, last_run: null, trend: [] });
    expect(result.code).toBe(0);
  });
});
