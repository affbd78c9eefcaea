import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';
import { packagesLoaded as traced } from '../support/packages.js';

// Traced as `node bin/runbook` runs: the ES modules (a run from the start-up snapshot cannot be
// traced; it runs the same sources). The command modules (dist/NAME-HASH.js), loaded by
// engine/cli.ts only when asked for.
const COMMANDS = ['list', 'validate', 'run', 'history', 'show', 'render', 'cron', 'next', 'status', 'tick', 'doc', 'dashboard', 'top', 'new', 'schema', 'completion', 'agent', 'fleet'];
const HEAVY = ['pm2', 'pg', 'pg-boss', 'systeminformation', 'nodemailer', 'execa', 'listr2', '@inquirer'];

/** The npm packages a CLI invocation loaded, the @inquirer ones as one. */
function packagesLoaded(args: string[]): Set<string> {
  const { packages, stderr } = traced(args);
  expect(stderr).toBe('');
  return new Set([...packages].map((name) => (name.startsWith('@inquirer') ? '@inquirer' : name)));
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

  it('the CommonJS bundle made into the start-up snapshot holds none of the libraries some runs need', () => {
    const inBundle = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'packages.json'), 'utf8')) as Record<string, string[]>;
    expect(inBundle['program.cjs']).toContain('commander');
    for (const library of [...HEAVY, 'yaml', 'handlebars', 'cron-parser']) expect(inBundle['program.cjs'], library).not.toContain(library);
  });

  it('a run of shell steps loads execa (it runs them) and none of the other heavy libraries', () => {
    const loaded = packagesLoaded(['--dir', path.join(ROOT, 'test/fixtures/run'), 'run', 'continue']);
    expect(loaded).toContain('handlebars');
    expect(loaded).toContain('execa');
    for (const heavy of [...HEAVY.filter((name) => name !== 'execa'), 'cron-parser']) expect(loaded).not.toContain(heavy);
  });

  it('a run with an assertion on memory reads /proc: none of the heavy libraries', () => {
    const loaded = packagesLoaded(['--dir', path.join(ROOT, 'test/fixtures/run'), 'run', 'alert']);
    expect(loaded).toContain('handlebars');
    // Its shell steps run (through execa) only when this box's swap is above 20%.
    for (const heavy of HEAVY.filter((name) => name !== 'execa')) expect(loaded).not.toContain(heavy);
  });

  it('a pm2 step that lists processes does not load node:crypto (only a log scan resuming an unstamped log hashes its head)', () => {
    const { dir, remove } = tempDir();
    try {
      writeFileSync(path.join(dir, 'apps.yaml'), 'title: Apps\nsteps:\n  - { name: PM2 services, type: pm2, action: list }\n');
      const { builtins } = traced(['--dir', dir, 'run', 'apps']);
      expect(builtins).not.toContain('node:crypto');
    } finally {
      remove();
    }
  });

  it('a command loads its own module, not the other commands\' (help still lists them all)', () => {
    const commandsIn = (files: string[]) => files.map((file) => /^([a-z]+)-[A-Z0-9]+\.js$/.exec(file)?.[1]).filter((name) => name && COMMANDS.includes(name));
    expect(commandsIn(traced(['validate']).bundleFiles)).toEqual(['validate']);
    const help = traced(['--help']);
    expect(commandsIn(help.bundleFiles).sort()).toEqual([...COMMANDS].sort());
  });

  it('an unchanged playbook of plain templates runs on its kept verdict: no YAML parser, no handlebars', () => {
    const { dir, remove } = tempDir();
    try {
      const books = path.join(dir, 'books');
      mkdirSync(books);
      writeFileSync(path.join(books, 'plain.yaml'), [
        'title: Plain', 'vars: { limit: 101 }', 'steps:',
        '  - { id: mem, name: Memory, type: assert-threshold, metric: memory.used_percent, warn: { above: "{{vars.limit}}" } }',
        '  - { name: Say, type: notify, channels: { stdout: true }, message: "memory {{steps.mem.value}}% of {{steps.mem.output.total_bytes}} bytes" }',
      ].join('\n'));
      const args = ['--dir', books, 'run', 'plain'];
      const state = path.join(dir, 'state');
      const first = traced(args, { state });
      expect(first.packages).toContain('yaml');
      const again = traced(args, { state });
      expect(again.stderr).toBe('');
      expect(again.packages).not.toContain('yaml');
      expect(again.packages).not.toContain('handlebars');
    } finally {
      remove();
    }
  });
});
