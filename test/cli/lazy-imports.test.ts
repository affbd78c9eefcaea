import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { packagesLoaded as traced } from '../support/packages.js';

// The command modules (dist/NAME-HASH.js), loaded by engine/cli.ts only when asked for.
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

  it('a command loads its own module, not the other commands\' (help still lists them all)', () => {
    const commandsIn = (files: string[]) => files.map((file) => /^([a-z]+)-[A-Z0-9]+\.js$/.exec(file)?.[1]).filter((name) => name && COMMANDS.includes(name));
    expect(commandsIn(traced(['validate']).bundleFiles)).toEqual(['validate']);
    const help = traced(['--help']);
    expect(commandsIn(help.bundleFiles).sort()).toEqual([...COMMANDS].sort());
  });
});
