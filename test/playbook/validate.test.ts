import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, tempDir } from '../support/cli.js';

const INVALID = path.join(FIXTURES, 'invalid');
const cases = readdirSync(INVALID).filter((file) => file.endsWith('.error')).map((file) => file.replace(/\.error$/, ''));

let state: ReturnType<typeof tempDir>;
beforeAll(() => {
  state = tempDir();
});
afterAll(() => state.remove());

describe('runbook validate', () => {
  it('accepts every shipped playbook', async () => {
    const result = await runCli(['validate'], { env: cliEnv(state.dir) });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\d+ playbooks valid$/m);
    expect(result.code).toBe(0);
  });

  it.each(cases)('refuses %s with FILE:LINE:COL, the message and the offending line', async (name) => {
    const file = path.join(INVALID, `${name}.yaml`);
    const want = readFileSync(path.join(INVALID, `${name}.error`), 'utf8').trim();
    const result = await runCli(['--dir', INVALID, 'validate', file], { env: cliEnv(state.dir) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${path.join(INVALID, want.split(':')[0]!)}:${want.split(':').slice(1).join(':')}`);
    const line = Number(want.split(':')[1]);
    if (Number.isInteger(line) && line > 0) {
      const source = readFileSync(file, 'utf8').split('\n')[line - 1]!;
      expect(result.stderr).toContain(`${line} | ${source}`);
    }
    expect(result.stdout).toContain('1 of 1 playbooks have problems');
  });

  it('reports every problem of a file at once', async () => {
    const { dir, remove } = tempDir();
    try {
      const file = path.join(dir, 'many.yaml');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, 'title: Many\nsteps:\n  - id: a\n    name: one\n    type: shell\n    run: echo {{params.x}}\n  - id: a\n    name: two\n    type: shell\n    run: "true"\n    timeout: 5 min\n');
      const result = await runCli(['validate', file], { env: cliEnv(state.dir) });
      // Schema, reference and template problems together, in one pass.
      expect(result.stderr).toContain(`${file}:6:10: \`params.x\` is not declared`);
      expect(result.stderr).toContain(`${file}:7:9: step id \`a\` must be unique`);
      expect(result.stderr).toContain(`${file}:11:14: \`timeout\` is not a duration`);
      writeFileSync(file, 'title: Many\nsteps:\n  - id: a\n    name: one\n    type: shell\n    run: echo {{params.x}}\n  - id: a\n    name: two\n    type: shell\n    run: echo {{env.X}}\n');
      const again = await runCli(['validate', file], { env: cliEnv(state.dir) });
      expect(again.stderr).toContain(`${file}:6:10: \`params.x\` is not declared`);
      expect(again.stderr).toContain(`${file}:7:9: step id \`a\` must be unique`);
      expect(again.stderr).toContain(`${file}:10:10: \`env.X\` is not declared`);
    } finally {
      remove();
    }
  });

  it('runs nothing from an invalid playbook and exits 3', async () => {
    const { dir, remove } = tempDir();
    try {
      const marker = path.join(dir, 'ran');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(dir, 'half.yaml'), `title: Half valid\nsteps:\n  - name: first\n    type: shell\n    run: touch ${marker}\n  - name: second\n    type: shell\n    run: echo {{params.missing}}\n`);
      const result = await runCli(['--dir', dir, 'run', 'half'], { env: cliEnv(state.dir) });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('is not a valid playbook: nothing was run');
      expect(result.stderr).toContain('half.yaml:8:10: `params.missing` is not declared');
      expect(existsSync(marker)).toBe(false);
    } finally {
      remove();
    }
  });

  it('names an unknown playbook and suggests a close one', async () => {
    const result = await runCli(['run', 'weekly-helth'], { env: cliEnv(state.dir) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no playbook named `weekly-helth` (did you mean `weekly-health`?)');
  });
});
