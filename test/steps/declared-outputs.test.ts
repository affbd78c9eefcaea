import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { STEP_TYPES } from '../../engine/steps/index.js';
import type { StepType } from '../../engine/steps/types.js';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';

const temp = freshTempDir();

// Step types that run here without a service; the others' outputs are checked in their own tests' runs.
const PLAYBOOK = `title: Outputs
steps:
  - { id: sh, name: sh, type: shell, run: 'echo {"a":1}' }
  - { id: load, name: load, type: assert-threshold, metric: load.1, warn: { above: 1000 } }
  - { id: ask, name: ask, type: manual, instructions: nothing }
  - { id: tell, name: tell, type: notify, channels: { stdout: true } }
  - { id: nested, name: nested, type: playbook, playbook: inner }
  - { id: procs, name: procs, type: pm2, action: list, continue_on_error: true }
  - { id: scan, name: scan, type: pm2, action: logs, since: 1h, continue_on_error: true }
`;

describe('declared outputs', () => {
  it('are what the steps leave in steps.ID.output (pm2 without a daemon too)', async () => {
    writeFileSync(path.join(temp.dir, 'outer.yaml'), PLAYBOOK);
    writeFileSync(path.join(temp.dir, 'inner.yaml'), 'title: Inner\nsteps:\n  - { name: x, type: shell, run: "true" }\n');
    // pm2 steps here meet no daemon (an empty PM2_HOME): they still leave their declared outputs.
    const env = cliEnv(path.join(temp.dir, 'state'), { PM2_HOME: path.join(temp.dir, 'pm2') });
    const result = await runCli(['--dir', temp.dir, 'run', 'outer', '--json'], { env });
    const steps = (JSON.parse(result.stdout) as { steps: { id: string; type: string; output: Record<string, unknown> }[] }).steps;
    expect(steps.map((step) => step.id)).toEqual(['sh', 'load', 'ask', 'tell', 'nested', 'procs', 'scan']);
    const playbook = PLAYBOOK.split('\n').filter((line) => line.startsWith('  - '));
    for (const [index, step] of steps.entries()) {
      const type = (STEP_TYPES as Record<string, StepType>)[step.type]!;
      const declared = type.outputsOf?.(parseDocument(playbook[index]!.slice(4)).toJS()) ?? Object.entries(type.outputs).filter(([, spec]) => !spec.when).map(([key]) => key);
      expect(Object.keys(step.output).sort(), step.id).toEqual(expect.arrayContaining([...declared].sort()));
      for (const key of Object.keys(step.output)) expect(Object.keys(type.outputs), `${step.id}.${key}`).toContain(key);
    }
  });

  it('have a type and a description on every step type', () => {
    for (const [kind, type] of Object.entries(STEP_TYPES as Record<string, StepType>)) {
      expect(Object.keys(type.outputs).length, kind).toBeGreaterThan(0);
      for (const spec of Object.values(type.outputs)) expect(spec.description, kind).not.toBe('');
    }
  });
});
