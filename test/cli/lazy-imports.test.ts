import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, ROOT, freshTempDir } from '../support/cli.js';

const HEAVY = ['pm2', 'pg', 'systeminformation', 'nodemailer', 'execa', 'listr2', '@inquirer'];
const work = freshTempDir();

/** The npm packages a CLI invocation loaded. */
function packagesLoaded(args: string[]): Set<string> {
  const trace = path.join(work.dir, 'trace');
  const result = spawnSync(process.execPath, ['--import', path.join(ROOT, 'test/support/trace-imports.mjs'), BIN, ...args], {
    env: cliEnv(path.join(work.dir, 'state'), { TRACE_IMPORTS_FILE: trace }), encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  const urls = readFileSync(trace, 'utf8').split('\n');
  return new Set(urls.flatMap((url) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return match ? [match[1]!.startsWith('@inquirer') ? '@inquirer' : match[1]!] : [];
  }));
}

describe('start-up stays light', () => {
  it.each([[['--version']], [['validate']], [['list']], [['doc']], [['doc', 'pm2']], [['completion', 'bash']]])('`runbook %s` loads none of the heavy libraries', (args) => {
    const loaded = packagesLoaded(args);
    for (const heavy of HEAVY) expect(loaded, `${args.join(' ')} loaded ${heavy}`).not.toContain(heavy);
  });

  it('`runbook --version` loads no playbook machinery at all', () => {
    const loaded = packagesLoaded(['--version']);
    expect([...loaded]).toEqual(['commander']);
  });

  it('a run of shell steps loads none of the heavy libraries', () => {
    const loaded = packagesLoaded(['--dir', path.join(ROOT, 'test/fixtures/run'), 'run', 'continue']);
    expect(loaded).toContain('handlebars');
    for (const heavy of [...HEAVY, 'cron-parser']) expect(loaded).not.toContain(heavy);
  });

  it('a run with an assertion on memory loads systeminformation, and only that', () => {
    const loaded = packagesLoaded(['--dir', path.join(ROOT, 'test/fixtures/run'), 'run', 'alert']);
    expect(loaded).toContain('systeminformation');
    for (const heavy of HEAVY.filter((name) => name !== 'systeminformation')) expect(loaded).not.toContain(heavy);
  });
});
