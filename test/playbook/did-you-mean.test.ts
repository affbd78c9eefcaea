import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { similar } from '../../engine/suggest.js';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const temp = freshTempDir();
const cli = (args: string[]) => runCli(args, { env: cliEnv(temp.dir) });

describe('did you mean', () => {
  it('suggests the known name for each kind of typo', async () => {
    const file = path.join(FIXTURES, 'did-you-mean', 'typos.yaml');
    const { stderr } = await cli(['validate', file]);
    for (const [line, wrong, right] of [
      [2, 'unknown key `titel`', 'title'],
      [9, '`metric` must be one of', 'disk.used_percent'],
      [10, 'unknown key `abve`', 'above'],
      [12, '`type` must be one of', 'shell'],
      [13, '`params.hots` is not declared', 'host'],
      [13, '`steps.dsk` refers to no step', 'disk'],
      [13, 'step `disk` has no output `valeu`', 'value'],
      [13, 'unknown helper `bites`', 'bytes'],
      [16, 'unknown key `slak`', 'slack'],
      [19, '`action` must be one of', 'restart'],
      [20, 'unknown key `time_out`', 'timeout'],
    ] as const) {
      expect(stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:${line}:\\d+: ${wrong.replace(/[.`]/g, '\\$&')}.*\\(did you mean \`${right.replace('.', '\\.')}\`\\?\\)`));
    }
  });

  it('finds a playbook by the last part of its name', async () => {
    const result = await cli(['run', 'swap-thrash']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no playbook named `swap-thrash` (did you mean `emergency/swap-thrash`?)');
  });

  it('on the command line too: --param, --var, --metric', async () => {
    expect((await cli(['run', 'emergency/swap-thrash', '--param', 'proces=api'])).stderr).toContain('unknown param `proces` (did you mean `process`?)');
    expect((await cli(['run', 'weekly-health', '--var', 'swap_wrn=3'])).stderr).toContain('unknown var `swap_wrn` (did you mean `swap_warn`?)');
    expect((await cli(['run', 'weekly-health', '--metric', 'swap.used_percnt=3'])).stderr).toContain('(did you mean `swap.used_percent`?)');
  });

  it('says nothing when no name is close', () => {
    expect(similar('zzzzzz', ['shell', 'sql'])).toEqual([]);
    expect(similar('shel', ['shell', 'sql', 'pm2'])).toEqual(['shell']);
  });
});

describe('YAML error hints', () => {
  it('says to quote a value holding ": "', async () => {
    const file = path.join(temp.dir, 'colon.yaml');
    writeFileSync(file, 'title: x\nsteps:\n  - name: a\n    type: shell\n    run: echo "x: y"\n');
    const { stderr } = await cli(['validate', file]);
    expect(stderr).toContain(`${file}:5:10: Nested mappings are not allowed in compact mappings: a value holding ": " must be quoted whole`);
  });

  it('says to quote an unquoted template and a cron expression starting with *', async () => {
    const file = path.join(temp.dir, 'quotes.yaml');
    writeFileSync(file, 'title: x\nsteps:\n  - name: a\n    type: shell\n    run: {{date}}\n');
    expect((await cli(['validate', file])).stderr).toContain(`${file}:5:10: \`run\` must be text: a value starting with {{ must be quoted`);
    writeFileSync(file, 'title: x\nschedule:\n  cron: */5 * * * *\nsteps:\n  - { name: a, type: shell, run: "true" }\n');
    expect((await cli(['validate', file])).stderr).toContain('a value starting with * must be quoted');
  });
});
