import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const work = freshTempDir();
const PLAYBOOK = 'title: Mine\nschedule: { cron: "0 3 * * *" }\nsteps:\n  - name: Say hi\n    type: shell\n    run: echo hi\n';

/** A folder of the user's own with one playbook, and a current directory holding an unrelated playbooks/site.yml. */
function setUp() {
  const mine = path.join(work.dir, 'mine');
  const cwd = path.join(work.dir, 'project');
  mkdirSync(mine);
  mkdirSync(path.join(cwd, 'playbooks'), { recursive: true });
  writeFileSync(path.join(mine, 'mine.yaml'), PLAYBOOK);
  writeFileSync(path.join(cwd, 'playbooks', 'site.yml'), '- hosts: all\n  roles: [web]\n');
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd, env: cliEnv(path.join(work.dir, 'state'), extra) });
  return { mine, cli };
}

describe('--dir and RUNBOOK_DIR mean that folder', () => {
  it('list, cron and status see only the folder named; list says where each playbook came from', async () => {
    const { mine, cli } = setUp();
    const list = await cli(['--dir', mine, 'list']);
    expect(list.stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^mine +Mine +\\[0 3 \\* \\* \\* .*\\] +\\(from ${mine}\\)$`))]);
    const viaEnv = await cli(['list'], { RUNBOOK_DIR: mine });
    expect(viaEnv.stdout).toBe(list.stdout);
    const cron = await cli(['--dir', mine, 'cron']);
    expect(cron.stdout).not.toContain('friday-restart');
    expect(cron.stdout).toContain('mine');
    const status = await cli(['--dir', mine, 'status']);
    expect(status.stdout + status.stderr).not.toContain('site');
    const both = await cli(['--dir', mine, '--shipped', 'list']);
    expect(both.stdout).toMatch(/^friday-restart .*\(shipped\)$/m);
  });

  it('a shipped playbook asked for by name is still found', async () => {
    const { mine, cli } = setUp();
    const result = await cli(['--dir', mine, 'run', 'emergency/crash-loop', '--param', 'process=api', '--dry-run']);
    expect(result.stdout).toContain('dry run of emergency/crash-loop');
    expect(result.code).toBe(0);
  });
});
