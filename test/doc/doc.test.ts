import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelDocs, fieldsOf, helperDocs, metricDocs } from '../../engine/doc/model.js';
import { STEP_TYPES } from '../../engine/steps/index.js';
import type { StepType } from '../../engine/steps/types.js';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const temp = freshTempDir();
const TYPES = Object.entries(STEP_TYPES as Record<string, StepType>);
const doc = (args: string[]) => runCli(['doc', ...args], { env: cliEnv(path.join(temp.dir, 'state')) });

describe('runbook doc', () => {
  it('lists every step type, metric, template helper and notify channel', async () => {
    const result = await doc([]);
    expect(result.code).toBe(0);
    const names = [...TYPES.map(([kind]) => kind), ...metricDocs().map((m) => m.name), ...helperDocs().map((h) => h.name), ...channelDocs().map((c) => c.name)];
    for (const name of names) expect(result.stdout).toMatch(new RegExp(`^  ${name.replace('.', '\\.')}\\s`, 'm'));
  });

  it.each(TYPES)('%s: every field with its type, every output, and the example', async (kind, type) => {
    const result = await doc([kind]);
    expect(result.code).toBe(0);
    for (const field of fieldsOf(type.schema.properties as never, type.schema.required)) {
      expect(result.stdout).toMatch(new RegExp(`^  ${field.name.replace('.', '\\.')}\\s+${field.type.replace(/[|.*]/g, '\\$&')}\\s`, 'm'));
    }
    for (const key of Object.keys(type.outputs)) expect(result.stdout).toMatch(new RegExp(`^  ${key}\\s`, 'm'));
    expect(result.stdout).toContain(type.example.split('\n').map((line) => `  ${line}`).join('\n'));
  });

  it.each(TYPES)('the %s example is a valid step', async (kind, type) => {
    const assertion = (STEP_TYPES as Record<string, StepType>)['assert-threshold']!.example;
    const steps = kind === 'assert-threshold' ? type.example : `${assertion}\n${type.example}`;
    const file = path.join(temp.dir, 'example.yaml');
    writeFileSync(file, [
      'title: Example',
      'vars: { swap_warn: 20 }',
      'params: { database: {}, process: {} }',
      'env: { SLACK_WEBHOOK: {} }',
      'steps:',
      ...steps.split('\n').map((line) => `  ${line}`),
    ].join('\n'));
    const result = await runCli(['validate', file], { env: cliEnv(path.join(temp.dir, 'state')) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses an unknown step type, naming the known ones', async () => {
    const result = await doc(['shel']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no step type `shel`');
  });

  it('--json carries a format version and every step type', async () => {
    const result = await doc(['--json']);
    const data = JSON.parse(result.stdout) as { format: number; step_types: { name: string }[] };
    expect(data.format).toBe(1);
    expect(data.step_types.map((type) => type.name)).toEqual(TYPES.map(([kind]) => kind));
  });
});
