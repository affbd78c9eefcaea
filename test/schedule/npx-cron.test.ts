import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';

// `npx runbook cron` as a new user types it: the package from a tarball, run out of npm's npx
// cache. The cache's package store is the machine's (the dependencies are already there), the
// _npx folder a throwaway one.
let work: ReturnType<typeof tempDir>;
let tarball: string;
const npmEnv = () => ({
  PATH: process.env.PATH, HOME: path.join(work.dir, 'home'), npm_config_cache: path.join(work.dir, 'cache'),
  npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', RUNBOOK_STATE_DIR: path.join(work.dir, 'state'),
});
const npm = (args: string[], env: Record<string, string | undefined> = npmEnv()) =>
  spawnSync('npm', args, { cwd: work.dir, env, encoding: 'utf8', timeout: 180_000 });

beforeAll(() => {
  work = tempDir();
  mkdirSync(path.join(work.dir, 'home'));
  mkdirSync(path.join(work.dir, 'cache'));
  const machineCache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(path.join(machineCache, '_cacache'), path.join(work.dir, 'cache', '_cacache'));
  const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work.dir, ROOT], { cwd: ROOT, encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  tarball = path.join(work.dir, packed.stdout.trim().split('\n').at(-1)!);
  return () => work.remove();
}, 180_000);

describe('npx runbook cron', () => {
  it('refuses to write npx\'s cache into the crontab and says how to install; names a global install when there is one', async () => {
    const npx = (env: Record<string, string | undefined>) => npm(['exec', '--yes', '--prefer-offline', `--package=${tarball}`, '--', 'runbook', 'cron'], env);
    const refused = npx(npmEnv());
    expect(refused.stderr).toContain("runbook runs from npx's cache");
    expect(refused.stderr).toContain('npm install -g runbook');
    expect(refused.stdout).not.toContain('_npx');
    expect(refused.status).toBe(3);

    const global = path.join(work.dir, 'global');
    const installed = npm(['install', '-g', '--prefer-offline', '--ignore-scripts', '--prefix', global, tarball]);
    expect(installed.status, installed.stderr).toBe(0);
    const bin = path.join(global, 'bin', 'runbook');
    const named = npx({ ...npmEnv(), PATH: `${path.join(global, 'bin')}${path.delimiter}${process.env.PATH}` });
    expect(named.status, named.stderr).toBe(0);
    const tick = named.stdout.split('\n').find((line) => / tick /.test(line) && !line.startsWith('#'))!;
    expect(tick).toContain(` ${bin} --dir ${path.join(global, 'lib', 'node_modules', 'runbook', 'playbooks')} tick `);
    expect(named.stdout).not.toContain('_npx');
  }, 300_000);
});
