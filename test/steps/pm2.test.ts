import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHttpServer } from '../support/servers.js';
import { PM2_FIXTURES, until, usePm2Sandbox, type JsonRun } from './pm2-sandbox.js';

// One real PM2 daemon for the file, under a temporary PM2_HOME, with the stable and ERROR-writing apps.
const pm2 = usePm2Sandbox(async (sandbox) => {
  await sandbox.start('ecosystem.config.cjs');
  await until('the apps to be online', async () => (await sandbox.jlist()).every((proc) => proc.pm2_env.status === 'online'));
});

function step(action: string, extra = '', id = 'pm2'): string {
  return `  - id: ${id}\n    name: pm2 ${action}\n    type: pm2\n    action: ${action}\n${extra}`;
}

describe('pm2 list and describe', () => {
  it('lists every process with the contract fields and counts, as a table in the output', async () => {
    pm2.playbook('list', step('list'));
    const result = await pm2.run('list');
    expect(result.stdout).toMatch(/\| name +id +status +restarts +memory +cpu +uptime/);
    expect(result.stdout).toMatch(/\| stable +0 +online +0 /);
    expect(result.stdout).toContain('[OK] pm2 list: PM2: 3 of 3 online');
    expect(result.code).toBe(0);

    const run = await pm2.runJson('list');
    const output = run.steps[0]!.output;
    expect(output).toMatchObject({ online: 3, stopped: 0, errored: 0, restarts_total: 0, crash_looping: [] });
    expect(output.processes.map((proc: { name: string }) => proc.name)).toEqual(['stable', 'errors-timed', 'errors-plain']);
    const stable = output.processes[0];
    expect(Object.keys(stable)).toEqual(expect.arrayContaining(['name', 'pm_id', 'status', 'restarts', 'memory_bytes', 'cpu_percent', 'uptime_ms']));
    expect(stable).toMatchObject({ name: 'stable', pm_id: 0, status: 'online', restarts: 0, recent_restarts: 0 });
    expect(stable.memory_bytes).toBeGreaterThan(1_000_000);
    expect(stable.uptime_ms).toBeGreaterThan(0);
    expect(run.steps[0]!.value).toBe(3);
  });

  it('describes one process by name or by pm_id, with its script and log files', async () => {
    pm2.playbook('describe', step('describe', '    process: stable\n') + step('describe', '    process: 2\n', 'by_id'));
    const run = await pm2.runJson('describe');
    const [byName, byId] = run.steps.map((s) => s.output.processes);
    expect(byName).toHaveLength(1);
    expect(byName[0]).toMatchObject({ name: 'stable', status: 'online', script: expect.stringMatching(/stable\.cjs$/), err_log: path.join(pm2.logs, 'stable-error.log') });
    expect(byId[0]).toMatchObject({ name: 'errors-plain', pm_id: 2 });
    expect(run.code).toBe(0);
  });

  it('fails clearly on an unknown process name, listing the known ones', async () => {
    pm2.playbook('unknown', step('restart', '    process: nope\n'));
    const result = await pm2.run('unknown');
    expect(result.stdout).toContain('[FAILED] pm2 restart: no PM2 process named `nope` (known: stable, errors-timed, errors-plain)');
    expect(result.code).toBe(2);
  });

  it('lets the CLI exit by itself after talking to the daemon', async () => {
    pm2.playbook('exits', step('list'));
    let guard: NodeJS.Timeout | undefined;
    const result = await pm2.run('exits', [], {
      // Killed only if it hangs: a hang shows up as a null exit code, not as a test timeout.
      onSpawn: (child) => { guard = setTimeout(() => child.kill('SIGKILL'), 40_000); },
    });
    clearTimeout(guard);
    expect(result.code).toBe(0);
  });
});

describe('pm2 actions that change things', () => {
  it('stops a process (the list then warns), and starts it again waiting until it stays online', async () => {
    pm2.playbook('stop', step('stop', '    process: stable\n') + step('list', '', 'after'));
    const stopped = await pm2.runJson('stop');
    expect(stopped.steps[0]!.output).toMatchObject({ targets: ['stable'], stopped: 1, online: 0 });
    expect(stopped.steps[1]!.level).toBe('warn');
    expect(stopped.summary).toBe('STOP WARNING - PM2: 2 of 3 online; stable stopped');
    expect(stopped.code).toBe(1);

    pm2.playbook('start', step('start', '    process: stable\n    wait_online: 30s\n'));
    const started = await pm2.run('start');
    expect(started.stdout).toContain('| start stable');
    expect(started.stdout).toContain('waiting up to 30.0s for stable to be online and stay up');
    expect(started.stdout).toMatch(/\[OK\] pm2 start/);
    expect(started.code).toBe(0);

    const again = await pm2.run('start');
    expect(again.stdout).toContain('| stable is already online');
    expect(again.code).toBe(0);
  });

  it('restarts and reloads with wait_online, and counts restarts since the previous run of the step', async () => {
    pm2.playbook('restart', [
      step('list', '', 'before'),
      step('restart', '    process: stable\n    wait_online: 30s\n', 'restart'),
      step('reload', '    process: errors-plain\n    wait_online: 30s\n', 'reload'),
      step('list', '', 'after'),
      '  - id: delta\n    name: restarts since the last run\n    type: assert-threshold\n    if: "{{previous}}"\n' +
        '    value: "{{sub steps.after.output.restarts_total previous.steps.after.output.restarts_total}}"\n    warn: { above: 0 }\n',
    ].join(''));
    const first = await pm2.runJson('restart');
    const [before, restart, reload, after, delta] = first.steps;
    expect(restart!.output).toMatchObject({ targets: ['stable'], online: 1 });
    expect(reload!.output).toMatchObject({ targets: ['errors-plain'], online: 1 });
    expect(after!.output.restarts_total).toBeGreaterThan(before!.output.restarts_total);
    // The first run has nothing to compare with.
    expect(after!.output.restarts_since_previous).toBe(0);
    expect(delta!.status).toBe('skipped');

    const second = await pm2.runJson('restart');
    const after2 = second.steps[3]!.output;
    const byName = Object.fromEntries(after2.processes.map((proc: { name: string }) => [proc.name, proc]));
    expect(byName.stable.restarts_since_previous).toBe(1);
    expect(byName['errors-timed'].restarts_since_previous).toBe(0);
    // The step's own delta and the one a template computes from `previous` agree.
    expect(after2.restarts_since_previous).toBe(after2.restarts_total - after!.output.restarts_total);
    expect(second.steps[4]).toMatchObject({ level: 'warn', value: after2.restarts_since_previous });
  });

  it('flushes the logs of one process', async () => {
    const errLog = path.join(pm2.logs, 'errors-plain-error.log');
    expect(readFileSync(errLog, 'utf8')).toContain('ERROR');
    pm2.playbook('flush', step('flush', '    process: errors-plain\n') + step('logs', '    process: errors-plain\n', 'logs'));
    const run = await pm2.runJson('flush');
    expect(run.steps[0]!.output.targets).toEqual(['errors-plain']);
    expect(readFileSync(errLog, 'utf8')).toBe('');
    expect(run.steps[1]!.output.matches).toBe(0);
  });

  it('saves the process list, deletes a process, and resurrects it waiting until it is online', async () => {
    pm2.playbook('save', step('save'));
    const saved = await pm2.runJson('save');
    expect(saved.steps[0]!.output).toMatchObject({ saved: 3, dump_file: path.join(pm2.home, 'dump.pm2') });
    expect(existsSync(path.join(pm2.home, 'dump.pm2'))).toBe(true);

    pm2.playbook('delete', step('delete', '    process: errors-timed\n') + step('list', '', 'after'));
    const deleted = await pm2.runJson('delete');
    expect(deleted.steps[0]!.output).toMatchObject({ targets: ['errors-timed'], processes: [] });
    expect(deleted.steps[1]!.output.processes.map((proc: { name: string }) => proc.name)).toEqual(['stable', 'errors-plain']);

    pm2.playbook('resurrect', step('resurrect', '    wait_online: 30s\n'));
    const resurrected = await pm2.run('resurrect');
    expect(resurrected.stdout).toMatch(/resurrected: .*errors-timed/);
    expect(resurrected.code).toBe(0);
    expect((await pm2.jlist()).map((proc) => proc.name).sort()).toEqual(['errors-plain', 'errors-timed', 'stable']);
  });
});

describe('crashes, not restarts', () => {
  const quiet = ['--metric', 'swap.used_percent=0', '--metric', 'load.1=0'];
  const stepOf = (run: { steps: { id?: string }[] }, id: string) => run.steps.find((s) => s.id === id) as JsonRun['steps'][number];
  const stablePid = async () => (await pm2.jlist()).find((proc) => proc.name === 'stable')!.pid as number;
  const online = (what: string, check: (proc: any) => boolean) =>
    until(what, async () => (await pm2.jlist()).some((proc) => proc.name === 'stable' && proc.pm2_env.status === 'online' && check(proc)));

  it("an operator's restart is not a crash; a process that dies by itself is, by name (hourly and weekly checks)", async () => {
    await pm2.runJson('hourly-alerts', quiet);
    await pm2.runJson('weekly-health', quiet);

    const before = await stablePid();
    expect((await pm2.pm2(['restart', 'stable'])).code).toBe(0);
    await online('stable to be back after the restart', (proc) => proc.pid !== before);
    const afterRestart = await pm2.runJson('hourly-alerts', quiet);
    expect(stepOf(afterRestart, 'pm2').output.restarts_since_previous).toBe(1);
    expect(stepOf(afterRestart, 'crashes')).toMatchObject({ level: 'ok', value: 0 });
    expect(afterRestart.status).toBe('OK');
    expect(afterRestart.code).toBe(0);

    const killed = await stablePid();
    process.kill(killed, 'SIGKILL');
    await online('PM2 to restart stable after it died', (proc) => proc.pid !== killed);
    const afterCrash = await pm2.runJson('hourly-alerts', quiet);
    expect(stepOf(afterCrash, 'pm2').output).toMatchObject({ crashes_since_previous: 1, crashed: ['stable'], crash_summary: 'stable 1' });
    expect(stepOf(afterCrash, 'crashes')).toMatchObject({ level: 'warn', value: 1 });
    expect(afterCrash.summary).toMatch(/^HOURLY-ALERTS WARNING - 1 PM2 crashes since the last hourly check: stable 1/);
    expect(afterCrash.code).toBe(1);

    // The weekly check saw both: the restart counts as a restart, the kill as the one crash.
    const weekly = await pm2.runJson('weekly-health', quiet);
    expect(stepOf(weekly, 'crashes')).toMatchObject({ level: 'warn', value: 1 });
    expect(stepOf(weekly, 'crashes').output.message).toBe("1 PM2 crashes since last week's check: stable 1 (2 restarts in all, planned ones included)");
  });

  it("an exit the app's own settings call normal is not a crash (autorestart: false with 0, stop_exit_codes)", async () => {
    // pm2.log times exits to the second, so an exit in the second of a check is counted by that
    // check and the next (crashes.ts): the previous test's kill must be a second behind this baseline.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    await pm2.runJson('hourly-alerts', quiet);
    await pm2.start('exits.config.cjs');
    try {
      await until('both apps to end by themselves', async () => {
        const ended = (await pm2.jlist()).filter((proc) => ['job-done', 'stops-itself'].includes(proc.name) && proc.pm2_env.status === 'stopped');
        return ended.length === 2;
      });
      const run = await pm2.runJson('hourly-alerts', quiet);
      const rows = stepOf(run, 'pm2').output.processes as { name: string; crashes_since_previous: number }[];
      expect(rows.filter((row) => row.name === 'job-done' || row.name === 'stops-itself').map((row) => row.crashes_since_previous)).toEqual([0, 0]);
      expect(stepOf(run, 'crashes')).toMatchObject({ level: 'ok', value: 0 });
    } finally {
      await pm2.pm2(['delete', 'job-done']);
      await pm2.pm2(['delete', 'stops-itself']);
    }
  });

  it('the swap emergency restarts the process using the most memory when none is named', async () => {
    const run = await pm2.runJson('emergency/swap-thrash', ['--from', 'pm2', '--yes']);
    const culprit = stepOf(run, 'pm2').output.most_memory;
    const rows = stepOf(run, 'pm2').output.processes as { name: string; memory_bytes: number }[];
    expect(culprit).toBe(rows.reduce((a, b) => (b.memory_bytes > a.memory_bytes ? b : a)).name);
    expect(stepOf(run, 'restart').output.targets).toEqual([culprit]);
  });

  it('the load emergency, looked at first, then the fix alone approved, restarts the process using the most CPU', async () => {
    await pm2.pm2(['start', path.join(PM2_FIXTURES, 'busy.cjs'), '--name', 'busy']);
    try {
      await until('PM2 to see busy using CPU', async () => (await pm2.jlist()).find((proc) => proc.name === 'busy')?.monit?.cpu > 0);
      const restarts = async () => (await pm2.jlist()).find((proc) => proc.name === 'busy')?.pm2_env.restart_time as number;
      const before = await restarts();
      // An operator's way at 3 a.m.: see the list, then run the fix alone (the watch after it takes a minute).
      const look = await pm2.runJson('emergency/load-spike', ['--only', 'pm2']);
      expect(stepOf(look, 'pm2').output.most_cpu).toBe('busy');
      const fix = await pm2.runJson('emergency/load-spike', ['--only', 'restart', '--yes']);
      expect(stepOf(fix, 'restart')).toMatchObject({ status: 'ok', output: { targets: ['busy'], online: 1 } });
      expect(await restarts()).toBe(before + 1);
    } finally {
      await pm2.pm2(['delete', 'busy']);
    }
  });
});

describe('the Friday restart', () => {
  it('counts the error lines each restart brings, in logs without timestamps too, week after week', async () => {
    const health = await startHttpServer({ '/health': () => ({ body: { ok: true } }) });
    try {
      const friday = () => pm2.runJson('friday-restart', ['--var', `health_url=${health.url}/health`]);
      // Each errors app writes 7 lines matching /error/i when it starts (errors-plain has no timestamps).
      for (const run of [await friday(), await friday()]) {
        expect(run.steps.find((s) => s.id === 'no_errors')).toMatchObject({ level: 'warn', value: 14 });
      }
    } finally {
      await health.close();
    }
  });
});

describe('the quarterly review', () => {
  afterAll(async () => {
    await pm2.pm2(['delete', 'limited']);
  });

  it("checks each process's max_memory_restart, as PM2 holds it, against the box's memory", async () => {
    await pm2.start('limits.config.cjs');
    const run = await pm2.runJson('quarterly-review', ['--var', 'memory_limits_warn_percent=0']);
    const step = (id: string) => run.steps.find((s) => s.id === id)!;
    const names = (step('pm2').output.processes as { name: string }[]).map((proc) => proc.name);
    expect(step('pm2').output.no_memory_limit).toEqual(names.filter((name) => name !== 'limited'));
    expect(step('memory_limits_set')).toMatchObject({ level: 'warn', value: names.length - 1 });
    expect(step('memory_limits_set').output.message).toMatch(/^\d+ PM2 process\(es\) without max_memory_restart: stable none, .*limited 300.0 MiB; the box has [\d.]+ GiB$/);
    const percent = Math.round((1000 * 300 * 1024 * 1024) / os.totalmem()) / 10;
    expect(step('memory_limits_fit')).toMatchObject({ level: 'warn', value: percent });
  });
});

describe('the emergency crash-loop playbook', () => {
  it('stops the service, shows its error lines and configuration, leaves the fix to a person, and restarts it', async () => {
    const ecosystem = path.join(PM2_FIXTURES, 'ecosystem.config.cjs');
    const result = await pm2.run('emergency/crash-loop', ['--param', 'process=stable', '--var', `ecosystem=${ecosystem}`, '--yes']);
    expect(result.stdout).toContain('[OK] Is it crash-looping? (crash restarts in the last 5 minutes): PM2: 1 of 1 online');
    expect(result.stdout).toMatch(/\[OK\] Stop the crashing service/);
    expect(result.stdout).toMatch(/\| \d+: +app\('stable', 'stable\.cjs'\),/);
    expect(result.stdout).toContain('[PENDING] Fix the issue');
    expect(result.stdout).toContain('waiting up to 1m00s for stable to be online and stay up');
    expect(result.stdout).toMatch(/\[OK\] Restart it and wait until it stays up/);
    expect(result.code).toBe(0);
  });

  it('refuses a process parameter that is not a plain name', async () => {
    const result = await pm2.run('emergency/crash-loop', ['--param', 'process=api; rm -rf /', '--yes']);
    expect(result.code).toBe(3);
  });
});

describe('pm2 crash loops', () => {
  beforeAll(async () => {
    await pm2.start('crash.config.cjs');
    await until('the crash app to restart 6 times', async () => (await pm2.jlist()).find((proc) => proc.name === 'crash')?.pm2_env.restart_time >= 6);
  });
  afterAll(async () => {
    await pm2.pm2(['delete', 'crash']);
  });

  it('reports a process that restarted more than 5 times in 5 minutes as a critical crash loop', async () => {
    pm2.playbook('loop', step('list'));
    const result = await pm2.run('loop');
    expect(result.stdout).toMatch(/\[CRITICAL\] pm2 list: PM2: .*crash restarted \d+ times in 5m/);
    expect(result.code).toBe(2);

    const run = await pm2.runJson('loop');
    const crash = run.steps[0]!.output.processes.find((proc: { name: string }) => proc.name === 'crash');
    expect(crash.recent_restarts).toBeGreaterThan(5);
    expect(run.steps[0]!.output.crash_looping).toEqual(['crash']);
    // Operator restarts and reloads are not crashes (errors-plain was reloaded above).
    expect(run.steps[0]!.output.processes.find((proc: { name: string }) => proc.name === 'errors-plain').recent_restarts).toBe(0);
  });

  it('hourly-alerts routes a crash loop to emergency/crash-loop with the culprit', async () => {
    const result = await pm2.run('hourly-alerts', ['--metric', 'swap.used_percent=0', '--metric', 'load.1=0']);
    expect(result.stdout).toMatch(/\[CRITICAL\] PM2 processes: PM2: .*crash restarted \d+ times in 5m/);
    expect(result.stdout).toContain('[start] Emergency: crash loop');
    // The emergency looks at the culprit only, and from cron stops before its first fix.
    expect(result.stdout).toMatch(/ {4}\| \[CRITICAL\] Is it crash-looping\? .*: PM2: [01] of 1 online; (crash [a-z ]+; )?crash restarted \d+ times in 5m/);
    expect(result.stdout).toContain('[FAILED] Emergency: crash loop: emergency/crash-loop UNKNOWN: step `stop` needs approval');
    expect(result.stdout).toContain('    | Crash loop: crash (runbook run emergency/crash-loop --param process=crash)');
    expect(result.code).toBe(2);
  });

  it('fails wait_online with the process that does not stay up and its last error lines', async () => {
    pm2.playbook('wait-fails', step('restart', '    process: crash\n    wait_online: 6s\n'));
    const run = await pm2.runJson('wait-fails');
    const restart = run.steps[0]!;
    expect(restart.status).toBe('failed');
    expect(restart.error).toMatch(/^not online after 6\.0s: crash is (online for only|waiting restart|launching|stopped|errored)/);
    expect(restart.error).toContain('last error lines: ERROR crash: cannot reach the database, exiting');
    expect(restart.output.targets).toEqual(['crash']);
    expect(run.code).toBe(2);
  });
});
