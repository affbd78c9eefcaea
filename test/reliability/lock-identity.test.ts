import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

// One playbook, one lock and one history, however it is reached; a lock from another machine
// (a restored backup) does not block this one for ever.
const work = freshTempDir();
const state = () => path.join(work.dir, 'state');
const lockFile = () => path.join(state(), 'locks', 'slow.lock');
const run = (name: string) => runCli(['--dir', path.join(work.dir, 'pb'), 'run', name], { env: cliEnv(state()) });

function playbooks(): void {
  const pb = path.join(work.dir, 'pb');
  mkdirSync(path.join(pb, 'sub'), { recursive: true });
  writeFileSync(path.join(pb, 'slow.yaml'), 'title: slow\nsteps:\n  - name: Say\n    type: shell\n    run: echo said\n');
  symlinkSync('slow.yaml', path.join(pb, 'alias.yaml'));
  symlinkSync('../slow.yaml', path.join(pb, 'sub', 'deep.yaml'));
}

/** A lock held by this (live) test process, as a run on `host` would write it. */
function holdLock(host: string, bootId?: string): void {
  mkdirSync(path.dirname(lockFile()), { recursive: true });
  const boot = bootId ?? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, host, boot_id: boot, run_id: 'held-run', started_at: 'earlier' }));
}

describe('the lock and history of a playbook', () => {
  it('are the same through a symlink to its file: a held lock refuses the alias, and both record under one name', async () => {
    playbooks();
    holdLock(os.hostname());
    const refused = await run('alias');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('another run of this playbook is in progress');
    expect((await run('sub/deep')).code).toBe(3);
    rmSync(lockFile());
    for (const name of ['slow', 'alias', 'sub/deep']) {
      const result = await run(name);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('SLOW OK - 1 step ok');
    }
    expect(readdirSync(path.join(state(), 'runs'))).toEqual(['slow']);
    const { runs } = JSON.parse((await runCli(['history', '--json'], { env: cliEnv(state()) })).stdout) as { runs: { playbook: string }[] };
    expect(runs.map((h) => h.playbook)).toEqual(['slow', 'slow', 'slow']);
  });

  it('a lock from another machine is stale: taken over, saying so', async () => {
    playbooks();
    holdLock('restored-box', '00000000-0000-0000-0000-000000000000');
    const result = await run('slow');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`took over the lock of run held-run from restored-box, not this machine (${os.hostname()}): it cannot be checked from here, so it counts as stale`);
  });

  it('a lock of this machine under its old name (renamed, same boot) is still judged by its process', async () => {
    playbooks();
    holdLock('old-name');
    const result = await run('slow');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`another run of this playbook is in progress: process ${process.pid} on old-name`);
  });
});
