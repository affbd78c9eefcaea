import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const temp = freshTempDir();
const RUN = path.join(FIXTURES, 'run');
const env = () => cliEnv(path.join(temp.dir, 'state'));

/** The command's stdout as one JSON document carrying `format`. */
async function json(args: string[]): Promise<Record<string, any>> {
  const result = await runCli([...args, '--json'], { env: env() });
  const doc = JSON.parse(result.stdout);
  expect(doc.format, args.join(' ')).toBe(1);
  return doc;
}

describe('--json', () => {
  it('every command that prints gives one JSON document with a format version', async () => {
    const run = await json(['--dir', RUN, 'run', 'continue']);
    expect(run).toMatchObject({ playbook: 'continue', status: 'WARNING' });
    expect((await json(['--dir', RUN, 'run', 'continue', '--dry-run'])).dry_run).toBe(true);
    expect((await json(['history'])).runs[0]).toMatchObject({ playbook: 'continue', run_id: run.run_id });
    expect((await json(['show', run.run_id])).playbook).toBe('continue');
    expect((await json(['--dir', RUN, 'list'])).playbooks.map((p: { playbook: string }) => p.playbook)).toContain('continue');
    expect((await json(['--dir', RUN, 'validate', path.join(RUN, 'continue.yaml')])).playbooks[0]).toMatchObject({ playbook: 'continue', problems: [] });
    expect((await json(['--dir', path.join(FIXTURES, 'schedule'), 'next', 'hourly'])).firings[0].playbook).toBe('hourly');
    expect((await json(['--dir', path.join(FIXTURES, 'schedule'), 'status'])).playbooks[0].playbook).toBeTypeOf('string');
    expect((await json(['--dir', RUN, 'render', 'continue'])).markdown).toContain('- [ ]');
    expect((await json(['--dir', path.join(FIXTURES, 'schedule'), 'cron'])).lines[0]).toMatch(/^# >>> runbook >>>/);
    expect((await json(['doc', 'shell'])).name).toBe('shell');
    expect((await json(['--dir', temp.dir, 'new', 'fresh'])).file).toBe(path.join(temp.dir, 'fresh.yaml'));
  });

  it('a failure before anything runs is still a JSON document on stdout', async () => {
    const unknown = await json(['run', 'no-such-playbook']);
    expect(unknown).toMatchObject({ exit_code: 3, error: { code: 'UNKNOWN_PLAYBOOK' } });
    const invalid = await json(['--dir', path.join(FIXTURES, 'invalid'), 'run', 'duplicate-id']);
    expect(invalid.error.code).toBe('INVALID_PLAYBOOK');
    expect(invalid.error.details.join('\n')).toContain('must be unique');
    expect((await json(['run'])).error).toMatchObject({ code: 'BAD_ARGUMENT', message: "missing required argument 'name'" });
  });
});

describe('short flags', () => {
  it('mean one thing across every command', () => {
    const help = (args: string[]) => execFileSync(process.execPath, [BIN, ...args, '--help'], { env: env() as NodeJS.ProcessEnv, encoding: 'utf8' });
    const commands = [...help([]).matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    const meaning = new Map<string, Set<string>>();
    for (const command of ['', ...commands]) {
      for (const [, short, long] of help(command ? [command] : []).matchAll(/^ {2}(-[a-zA-Z]), (--[a-z-]+)/gm)) {
        meaning.set(short!, new Set([...(meaning.get(short!) ?? []), long!]));
      }
    }
    expect(meaning.get('-n')).toEqual(new Set(['--dry-run']));
    for (const [short, longs] of meaning) expect([...longs], short).toHaveLength(1);
  });
});
