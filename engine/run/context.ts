import os from 'node:os';
import type { Alert, StepView, TemplateContext } from '../template/context.js';
import type { LoadedPlaybook } from '../playbook/load.js';
import type { RunInputs } from './inputs.js';
import type { RunRecord, StepRecord } from './record.js';

/**
 * `value` with its objects made prototype-less (arrays kept: helpers use their methods), so a
 * template reads own keys only: `{{#if steps.x.output.json.constructor}}` finds no `constructor`
 * (it would be Object's) and fails as not defined.
 */
function ownKeysOnly<T>(value: T): T {
  if (Array.isArray(value)) return value.map(ownKeysOnly) as T;
  if (!value || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) out[key] = ownKeysOnly(item);
  return out as T;
}

// A step's view is built once: contexts are rebuilt for every later step.
const views = new WeakMap<StepRecord, StepView>();

function stepView(step: StepRecord): StepView {
  let view = views.get(step);
  if (!view) views.set(step, (view = { status: step.status, level: step.level, value: ownKeysOnly(step.value ?? null), output: ownKeysOnly(step.output) }));
  return view;
}

function stepViews(steps: StepRecord[]): Record<string, StepView> {
  return Object.fromEntries(steps.flatMap((step) => (step.id ? [[step.id, stepView(step)]] : [])));
}

/** The alerts of a run so far: every step that is warn or critical, with a readable line. */
export function alertsOf(steps: StepRecord[]): Alert[] {
  return steps
    .filter((step) => step.level !== 'ok')
    .map((step) => ({
      step: step.id ?? step.name,
      level: step.level,
      message: step.message ?? `${step.name}: ${step.error ?? step.status}`,
    }));
}

/** The template context at this point of the run. */
export function templateContext(opts: {
  playbook: LoadedPlaybook;
  inputs: RunInputs;
  record: RunRecord;
  previous: RunRecord | undefined;
  /** Steps not run this time (--only/--from) show what the previous run found. */
  carried: StepRecord[];
}): TemplateContext {
  const { record, previous } = opts;
  return {
    params: ownKeysOnly(opts.inputs.params),
    vars: ownKeysOnly(opts.inputs.vars),
    env: ownKeysOnly(opts.inputs.env),
    steps: { ...stepViews(record.steps), ...stepViews(opts.carried) },
    previous: previous
      ? { run_id: previous.run_id, status: previous.status, started_at: previous.started_at, steps: stepViews(previous.steps) }
      : null,
    run: { id: record.run_id, started_at: record.started_at, status: record.status, alerts: alertsOf(record.steps) },
    playbook: { name: opts.playbook.name, title: opts.playbook.data.title },
    host: { hostname: os.hostname() },
  };
}
