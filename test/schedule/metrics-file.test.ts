import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, runCli, freshTempDir } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'schedule');
const work = freshTempDir();

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, as far as gauges go. */
function parse(text: string): { types: Map<string, string>; helps: Set<string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.trimEnd().split('\n')) {
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') types.set(meta[2]!, meta[3]!);
      else helps.add(meta[2]!);
      continue;
    }
    const sample = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const labels = Object.fromEntries([...sample![2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, key, value]) => [key!, value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))]));
    expect(types.has(sample![1]!), `${sample![1]} has no TYPE before its samples`).toBe(true);
    samples.push({ name: sample![1]!, labels, value: Number(sample![3]) });
  }
  return { types, helps, samples };
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);

describe('--metrics-file', () => {
  it('writes each assertion value and level, and the run status, duration and finish time as gauges', async () => {
    const file = path.join(work.dir, 'textfile', 'runbook.prom');
    const before = Date.now() / 1000;
    const result = await runCli(['--dir', DIR, 'run', 'metrics', '--metric', 'swap.used_percent=85', '--metrics-file', file], { env: cliEnv(path.join(work.dir, 'state')) });
    expect(result.code).toBe(2);
    const { types, helps, samples } = parse(readFileSync(file, 'utf8'));
    for (const [name, type] of types) {
      expect(type).toBe('gauge');
      expect(helps.has(name)).toBe(true);
    }

    const run = { playbook: 'metrics' };
    expect(value(samples, 'runbook_step_value', { ...run, step: 'swap' })).toEqual([85]);
    expect(value(samples, 'runbook_step_level', { ...run, step: 'swap' })).toEqual([2]);
    expect(value(samples, 'runbook_step_value', { ...run, step: 'answer' })).toEqual([42]);
    expect(value(samples, 'runbook_step_level', { ...run, step: 'answer' })).toEqual([0]);
    // A step without an id is labelled by its name, quotes escaped; a step that did not run is left out.
    expect(value(samples, 'runbook_step_level', { ...run, step: 'Say "hi"' })).toEqual([0]);
    expect(value(samples, 'runbook_step_level', { ...run, step: 'skipped' })).toEqual([]);
    expect(value(samples, 'runbook_run_status', run)).toEqual([2]);
    expect(value(samples, 'runbook_run_simulated', run)).toEqual([1]);
    expect(value(samples, 'runbook_run_duration_seconds', run)).toHaveLength(1);
    const [finished] = value(samples, 'runbook_run_finished_timestamp_seconds', run);
    expect(finished).toBeGreaterThanOrEqual(Math.floor(before));
    expect(finished).toBeLessThanOrEqual(Date.now() / 1000);

    // A called playbook shows as the level of the step that called it, not as series of its own.
    expect(value(samples, 'runbook_step_level', { ...run, step: 'child' })).toEqual([2]);
    expect(samples.filter((s) => s.labels.playbook !== 'metrics')).toEqual([]);
  });

  it('gives steps that share a name series of their own (node_exporter rejects duplicates)', async () => {
    const file = path.join(work.dir, 'same.prom');
    await runCli(['--dir', DIR, 'run', 'same-names', '--metrics-file', file], { env: cliEnv(path.join(work.dir, 'state')) });
    const { samples } = parse(readFileSync(file, 'utf8'));
    const levels = samples.filter((sample) => sample.name === 'runbook_step_level').map((sample) => [sample.labels.step, sample.value]);
    expect(levels).toEqual([['Check', 0], ['Check #2', 1]]);
  });

  it('replaces the file atomically on every run, leaving no temporary file behind', async () => {
    const file = path.join(work.dir, 'runbook.prom');
    const env = cliEnv(path.join(work.dir, 'state'));
    await runCli(['--dir', DIR, 'run', 'metrics', '--metric', 'swap.used_percent=85', '--metrics-file', file], { env });
    await runCli(['--dir', DIR, 'run', 'metrics', '--metric', 'swap.used_percent=10', '--metrics-file', file], { env });
    const { samples } = parse(readFileSync(file, 'utf8'));
    expect(value(samples, 'runbook_step_value', { playbook: 'metrics', step: 'swap' })).toEqual([10]);
    expect(readdirSync(work.dir).sort()).toEqual(['runbook.prom', 'state']);
  });
});
