import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, ROOT, runCli } from '../support/cli.js';

const temp = freshTempDir();
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env: cliEnv(path.join(temp.dir, 'state'), env) });

describe('runbook new', () => {
  it.each([[[]], [['--example', 'health-check']], [['--example', 'db']], [['--example', 'alert']]])('%j writes a playbook that validates, with the schema header', async (extra) => {
    const folder = path.join(temp.dir, 'books');
    const made = await cli(['--dir', folder, 'new', 'ops/disk-space', ...extra]);
    expect(made.code).toBe(0);
    const file = path.join(folder, 'ops', 'disk-space.yaml');
    expect(made.stdout).toContain(`wrote ${file}`);
    const header = readFileSync(file, 'utf8').split('\n')[0]!;
    const schema = header.replace('# yaml-language-server: $schema=', '');
    expect(existsSync(path.resolve(folder, 'ops', schema))).toBe(true);
    const checked = await cli(['--dir', folder, 'validate', file]);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
  });

  it('names the schema relatively inside the package, as the shipped playbooks do', async () => {
    // A hidden folder in the package: no other test lists it.
    const folder = mkdtempSync(path.join(ROOT, '.new-test-'));
    try {
      expect((await cli(['new', 'inside'], { RUNBOOK_DIR: folder })).code).toBe(0);
      expect(readFileSync(path.join(folder, 'inside.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schemas\/playbook\.schema\.json\n/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('never overwrites, and refuses an unknown example or a bad name', async () => {
    expect((await cli(['--dir', temp.dir, 'new', 'x'])).code).toBe(0);
    const again = await cli(['--dir', temp.dir, 'new', 'x']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('exists already: nothing written');
    expect((await cli(['--dir', temp.dir, 'new', 'y', '--example', 'nope'])).stderr).toContain('no example `nope` (examples: health-check, db, alert)');
    expect((await cli(['--dir', temp.dir, 'new', '../y'])).code).toBe(3);
    expect(existsSync(path.join(temp.dir, '..', 'y.yaml'))).toBe(false);
  });
});

describe('runbook schema', () => {
  it('prints the installed schema, or its path', async () => {
    const printed = await cli(['schema']);
    const where = await cli(['schema', '--path']);
    expect(where.stdout.trim()).toBe(path.join(ROOT, 'schemas', 'playbook.schema.json'));
    expect(JSON.parse(printed.stdout)).toEqual(JSON.parse(readFileSync(where.stdout.trim(), 'utf8')));
  });
});
