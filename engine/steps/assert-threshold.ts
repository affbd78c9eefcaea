import type { AssertThresholdStep } from '../playbook/types.generated.js';
import { toNumber } from '../template/helpers.js';
import { METRICS, METRIC_NAMES } from './support/metrics.js';
import type { Level, StepType } from './types.js';

type Comparison = 'above' | 'below' | 'equals' | 'not_equals';
type Threshold = Partial<Record<Comparison, number | string>>;

const COMPARISONS: Record<Comparison, { words: string; test: (v: number | string, t: number | string) => boolean }> = {
  above: { words: 'above', test: (v, t) => Number(v) > Number(t) },
  below: { words: 'below', test: (v, t) => Number(v) < Number(t) },
  equals: { words: 'equal to', test: (v, t) => String(v) === String(t) || Number(v) === Number(t) },
  not_equals: { words: 'not', test: (v, t) => !(String(v) === String(t) || Number(v) === Number(t)) },
};

const THRESHOLD = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: Object.fromEntries(Object.keys(COMPARISONS).map((key) => [key, { type: ['number', 'string'] }])),
};

function comparisonOf(threshold: Threshold): [Comparison, number | string] {
  return Object.entries(threshold)[0] as [Comparison, number | string];
}

/** What the reading is, in alert messages: the metric's words, or the step's own name for a value. */
function subject(step: AssertThresholdStep): string {
  return step.metric ? METRICS[step.metric]?.describe ?? step.metric : step.name;
}

function thresholdText(threshold: Threshold | undefined, unit: string): string | undefined {
  if (!threshold) return undefined;
  const [comparison, limit] = comparisonOf(threshold);
  return `${COMPARISONS[comparison].words} ${limit}${unit}`;
}

/** A limit for perfdata: only `above`/`below` are ranges a graphing tool can use. */
function numericLimit(threshold: Threshold | undefined): number | undefined {
  if (!threshold) return undefined;
  const [comparison, value] = comparisonOf(threshold);
  if (comparison !== 'above' && comparison !== 'below') return undefined;
  const limit = Number(value);
  return Number.isFinite(limit) ? limit : undefined;
}

export const assertThreshold: StepType<AssertThresholdStep> = {
  summary: 'Compares a built-in reading (swap, memory, load, disk...) or a templated value with warn and critical thresholds.',
  schema: {
    properties: {
      metric: { enum: METRIC_NAMES, description: 'A built-in reading' },
      mount: { type: 'string', description: 'For disk.used_percent: the mount point (default /)' },
      value: { type: ['string', 'number'], description: 'A template over earlier outputs' },
      warn: THRESHOLD,
      critical: THRESHOLD,
      unit: { type: 'string' },
      message: { type: 'string', description: 'Template; may use value, level and limit' },
    },
  },
  templates: { message: 'deferred' },
  templateLocals: ['value', 'level', 'limit', 'unit'],
  sideEffects: false,
  check(step, report) {
    if ((step.metric === undefined) === (step.value === undefined)) report([], 'needs exactly one of `metric` or `value`');
    if (!step.warn && !step.critical) report([], 'needs a `warn` or a `critical` threshold (or both)');
    if (step.mount !== undefined && step.metric !== 'disk.used_percent') report(['mount'], '`mount` only applies to metric disk.used_percent');
  },
  describe(step) {
    const unit = step.unit ?? (step.metric ? METRICS[step.metric]?.unit ?? '' : '');
    // A checklist item already starts with the step's name: a value needs no subject of its own.
    const about = step.metric ? subject(step) : 'it is';
    const limits = [
      thresholdText(step.warn, unit) && `alert if ${about} ${thresholdText(step.warn, unit)}`,
      thresholdText(step.critical, unit) && `${step.warn ? 'critical' : `critical if ${about}`} ${thresholdText(step.critical, unit)}`,
    ].filter(Boolean);
    return limits.join(', ');
  },

  async run(ctx) {
    const { step } = ctx;
    const unit = step.unit ?? (step.metric ? METRICS[step.metric]!.unit : '');
    const override = step.metric ? ctx.metricOverrides[step.metric] : undefined;
    const raw = step.metric
      ? override ?? (await METRICS[step.metric]!.read({ mount: step.mount }))
      : step.value!;
    const value = typeof raw === 'number' || /^\s*-?[\d.]+\s*$/.test(String(raw)) ? toNumber(raw) : String(raw).trim();

    let level: Level = 'ok';
    let hit: Threshold | undefined;
    for (const [candidate, threshold] of [['critical', step.critical], ['warn', step.warn]] as const) {
      if (!threshold) continue;
      const [comparison, limit] = comparisonOf(threshold);
      if (COMPARISONS[comparison].test(value, typeof limit === 'string' ? limit.trim() : limit)) {
        level = candidate;
        hit = threshold;
        break;
      }
    }
    const limit = hit ? comparisonOf(hit)[1] : undefined;
    const message = step.message
      ? ctx.render(step.message, { value, level, limit, unit })
      : `${subject(step)} ${value}${unit}${hit ? ` ${thresholdText(hit, unit)}` : ''}`;
    const simulated = override !== undefined;
    return {
      level,
      value,
      message: simulated ? `${message} (simulated)` : message,
      simulated,
      output: { value, level, message, unit, simulated },
      perf: typeof value === 'number'
        ? [{ label: step.id ?? step.metric ?? 'value', value, unit, warn: numericLimit(step.warn), critical: numericLimit(step.critical) }]
        : [],
    };
  },
};
