import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

// Shipped playbooks on a box like a fresh CI machine: no PM2 daemon (an empty PM2_HOME), no
// webhook or mail settings, no DATABASE_URL.
const state = freshTempDir();
const pm2Home = freshTempDir();
const env = () => cliEnv(state.dir, { PM2_HOME: pm2Home.dir });

describe('shipped playbooks on a bare box', () => {
  it('weekly-health (the README\'s first command) runs to the end and says plainly what is missing', async () => {
    const result = await runCli(['run', 'weekly-health'], { env: env() });
    expect(result.stdout).toContain(`PM2 is not running (no daemon under ${pm2Home.dir}): every PM2 service is down`);
    expect(result.stdout).toMatch(/\[OK\] Swap usage: swap used [\d.]+%/);
    expect(result.stdout).toContain('[SKIPPED] Send the weekly report (Slack, email): nothing sent: skipped slack (no webhook URL set)');
    expect(result.stdout).toContain('[PENDING] Document any anomalies in INCIDENTS.md');
    const reportLine = result.stdout.split('\n').find((line) => line.startsWith('report: '))!;
    // Under the state directory, which a reboot keeps (not /tmp).
    expect(reportLine).toMatch(new RegExp(`^report: ${state.dir}/reports/weekly-health-report-\\d{4}-\\d{2}-\\d{2}\\.txt$`));
    const report = readFileSync(reportLine.slice('report: '.length), 'utf8');
    expect(report).toContain('status: CRITICAL');
    expect(report).toContain('Pending manual tasks:\n  - Document any anomalies in INCIDENTS.md');
    const summary = result.stdout.trim().split('\n').at(-1)!;
    expect(summary).toMatch(/^WEEKLY-HEALTH CRITICAL - PM2 is not running \(no daemon under \S+\): every PM2 service is down(; [^|]+)? \| swap=/); // a busy box may add its load
    expect(result.code).toBe(2);
  });

  it('the monthly review lists the weekly reports from where weekly-health wrote them', async () => {
    const none = await runCli(['run', 'monthly-review'], { env: env() });
    expect(none.stdout).toContain(`| no weekly report in ${state.dir}/reports yet (runbook run weekly-health writes one)`);
    await runCli(['run', 'weekly-health'], { env: env() });
    const review = await runCli(['run', 'monthly-review'], { env: env() });
    expect(review.stdout).toMatch(new RegExp(`\\| ${state.dir}/reports/weekly-health-report-\\d{4}-\\d{2}-\\d{2}\\.txt: WEEKLY-HEALTH CRITICAL - PM2 is not running`));
  });

  it("the seed's /tmp name is an option (RUNBOOK_REPORT_DIR), and a link planted there is replaced, never followed", async () => {
    const shared = path.join(state.dir, 'shared-tmp');
    mkdirSync(shared);
    const victim = path.join(state.dir, 'victim');
    writeFileSync(victim, 'precious\n');
    const date = new Date().toISOString().slice(0, 10);
    const planted = path.join(shared, `weekly-health-report-${date}.txt`);
    symlinkSync(victim, planted);
    const result = await runCli(['run', 'weekly-health'], { env: { ...env(), RUNBOOK_REPORT_DIR: shared } });
    expect(result.stdout).toContain(`report: ${planted}`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(planted).isSymbolicLink()).toBe(false);
    expect(readFileSync(planted, 'utf8')).toContain('status: CRITICAL');
  });

  it('hourly-alerts: a swap drill calls the emergency playbook, alerts once, then reports the recovery', async () => {
    const drill = await runCli(['run', 'hourly-alerts', '--metric', 'swap.used_percent=85', '--metric', 'load.1=0'], { env: env() });
    expect(drill.stdout).toContain('[CRITICAL] Swap usage: swap used 85% above 80% (simulated)');
    expect(drill.stdout).toContain('[FAILED] Emergency: swap thrashing: emergency/swap-thrash UNKNOWN: step `clear` needs approval: rerun with --yes');
    expect(drill.stdout).toContain('    | CRITICAL: Hourly Alerts on');
    expect(drill.stdout).toContain('    |   CRITICAL swap: swap used 85% above 80% (simulated)');
    // The seed's alert: swap as a percentage and in KB (read from the box, as awk did, in a drill too).
    expect(drill.stdout).toMatch(/ {4}\| Swap: 85% \(\d+ KB\)$/m);
    expect(drill.code).toBe(2);

    const same = await runCli(['run', 'hourly-alerts', '--metric', 'swap.used_percent=85', '--metric', 'load.1=0'], { env: env() });
    expect(same.stdout).toMatch(/\[SKIPPED\] Alert the operators: not sent: /);

    const calm = await runCli(['run', 'hourly-alerts', '--metric', 'swap.used_percent=3', '--metric', 'load.1=0'], { env: env() });
    expect(calm.stdout).toContain('[OK] Swap usage: swap used 3% (simulated)');
    expect(calm.stdout).toMatch(/\[OK\] Alert the operators: sent by stdout/);
  });

  it.each([
    ['emergency/swap-thrash', ['--param', 'process=api']],
    ['emergency/load-spike', ['--param', 'process=api']],
    ['emergency/crash-loop', ['--param', 'process=api']],
    ['system-updates', []],
    ['quarterly-review', []],
  ])('%s renders every step in a dry run and touches nothing', async (name, params) => {
    const result = await runCli(['run', name, ...params, '--dry-run'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('(steps without side effects run; the others are only described; nothing is changed)');
    expect(result.stdout).not.toContain('template not renderable');
    expect(result.code).toBe(0);
    const history = await runCli(['history', '--json'], { env: env() });
    expect(JSON.parse(history.stdout)).toEqual({ format: 1, runs: [] });
  });
});

