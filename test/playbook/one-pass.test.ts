import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const temp = freshTempDir();

describe('one-pass validation', () => {
  it('reports eight different problems of one file at once, in file order', async () => {
    const file = path.join(FIXTURES, 'one-pass', 'eight-problems.yaml');
    const result = await runCli(['validate', file], { env: cliEnv(temp.dir) });
    expect(result.code).toBe(3);
    const heads = result.stderr.split('\n').filter((line) => line.startsWith(`${file}:`)).map((line) => line.slice(file.length + 1));
    const want = [
      /^3:9: cron expression must have 5 fields/, // cron
      /^5:53: `required` must be boolean/, // schema: a type
      /^12:14: `timeout` is not a duration/, // schema: a pattern
      /^13:9: step id `disk` must be unique/, // references
      /^15:11: `type` must be one of/, // schema: unknown step type
      /^16:10: `params.hots` is not declared/, // templates, in a step of unknown type
      /^20:5: unknown key `restart`/, // schema: unknown key
      /^23:10: step `disk` has no output `valeu`/, // declared outputs
    ];
    expect(heads).toHaveLength(want.length);
    heads.forEach((head, i) => expect(head).toMatch(want[i]!));
  });
});
