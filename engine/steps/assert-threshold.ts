import type { AssertThresholdStep } from '../playbook/types.generated.js';
import { hasTemplate } from '../template/render.js';
import { StepFailure } from './failure.js';
import { METRICS, METRIC_NAMES, METRICS_WITH_PARTS, readMetric } from './support/metrics.js';
import type { Level, StepType } from './types.js';

type Comparison = 'above' | 'below' | 'equals' | 'not_equals';
type Threshold = Partial<Record<Comparison, number | string>>;
type Reading = number | string;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The number a reading or limit stands for: a number, or text that is one once trimmed ("12.5").
 * Undefined for anything else ("93%", "ten", ""), so that it can never pass as 0 or NaN.
 */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const text = String(value).trim();
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** A reading or limit as compared and shown: its number when it is one, else its trimmed text. */
function normalized(value: unknown): Reading {
  return numberOf(value) ?? String(value).trim();
}

/** Numbers compare as numbers ("1.0" equals 1); anything else as trimmed text. */
function same(value: Reading, limit: Reading): boolean {
  const [a, b] = [numberOf(value), numberOf(limit)];
  return a !== undefined && b !== undefined ? a === b : String(value).trim() === String(limit).trim();
}

/** `numeric` comparisons only mean something between numbers; `run` checks both sides first. */
const COMPARISONS: Record<Comparison, { words: string; numeric: boolean; test: (v: Reading, t: Reading) => boolean }> = {
  above: { words: 'above', numeric: true, test: (v, t) => numberOf(v)! > numberOf(t)! },
  below: { words: 'below', numeric: true, test: (v, t) => numberOf(v)! < numberOf(t)! },
  equals: { words: 'equal to', numeric: false, test: same },
  not_equals: { words: 'not', numeric: false, test: (v, t) => !same(v, t) },
};

const NOT_A_NUMBER = 'is not a number (above/below compare numbers)';

const THRESHOLD = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries(COMPARISONS).map(([key, comparison]) => [key, { type: ['number', 'string'], description: `Alert when the reading is ${comparison.words} this (a number, or a template that renders to one)` }])),
};

function comparisonOf(threshold: Threshold): [Comparison, Reading] {
  return Object.entries(threshold)[0] as [Comparison, Reading];
}

const LEVELS = ['critical', 'warn'] as const;

/** The step's `above`/`below` thresholds: the ones that only mean something between numbers. */
function numericThresholds(step: AssertThresholdStep): { level: (typeof LEVELS)[number]; comparison: Comparison; limit: Reading }[] {
  return LEVELS.flatMap((level) => {
    if (!step[level]) return [];
    const [comparison, limit] = comparisonOf(step[level]);
    return COMPARISONS[comparison].numeric ? [{ level, comparison, limit }] : [];
  });
}

/**
 * Fails the step when `above`/`below` would compare something that is not a number: a reading
 * of "93%" or a limit rendered empty must not quietly come out OK. Checked for both thresholds
 * before either is compared, so the outcome does not depend on which one matched first.
 */
function requireNumbers(step: AssertThresholdStep, value: Reading): void {
  for (const { level, limit } of numericThresholds(step)) {
    if (numberOf(value) === undefined) throw new StepFailure(`value "${value}" ${NOT_A_NUMBER}`);
    if (numberOf(limit) === undefined) throw new StepFailure(`${level} limit "${limit}" ${NOT_A_NUMBER}`);
  }
}

/** What the reading is, in alert messages: the metric's words, or the step's own name for a value. */
function subject(step: AssertThresholdStep): string {
  return step.metric ? METRICS[step.metric]?.describe ?? step.metric : step.name;
}

function thresholdText(threshold: Threshold | undefined, unit: string): string | undefined {
  if (!threshold) return undefined;
  const [comparison, limit] = comparisonOf(threshold);
  return `${COMPARISONS[comparison].words} ${normalized(limit)}${unit}`;
}

/** A limit for perfdata: only `above`/`below` are ranges a graphing tool can use. */
function numericLimit(threshold: Threshold | undefined): number | undefined {
  if (!threshold) return undefined;
  const [comparison, value] = comparisonOf(threshold);
  if (comparison !== 'above' && comparison !== 'below') return undefined;
  return numberOf(value);
}

export const assertThreshold: StepType<AssertThresholdStep> = {
  summary: 'Compares a built-in reading (swap, memory, load, disk...) or a templated value with warn and critical thresholds.',
  schema: {
    properties: {
      metric: { enum: METRIC_NAMES, description: 'A built-in reading (runbook doc lists them)' },
      mount: { type: 'string', description: 'For disk.used_percent: the mount point (default /)' },
      value: { type: ['string', 'number'], description: 'A template over earlier outputs' },
      warn: { ...THRESHOLD, description: 'One comparison that makes the step warn', examples: [{ above: 20 }] },
      critical: { ...THRESHOLD, description: 'One comparison that makes the step critical (checked first)', examples: [{ above: 80 }] },
      unit: { type: 'string', description: 'Shown after the value (a metric has its own: % for percentages)' },
      message: { type: 'string', description: 'Template; may use value, level and limit' },
    },
  },
  outputs: {
    value: { type: 'any', description: 'The reading: a number, or text for equals/not_equals' },
    level: { type: 'string', description: 'ok, warn or critical' },
    message: { type: 'string', description: 'The alert line (also when ok)' },
    unit: { type: 'string', description: 'The unit shown after the value (% for percentages)' },
    simulated: { type: 'boolean', description: 'The reading came from --metric (a drill)' },
    used_bytes: { type: 'number', description: 'Bytes in use, read from the box (in a drill too, where it is left out if that read fails)', when: `metric: ${METRICS_WITH_PARTS.join(', ')}` },
    total_bytes: { type: 'number', description: 'Bytes in all, read from the box (in a drill too, where it is left out if that read fails)', when: `metric: ${METRICS_WITH_PARTS.join(', ')}` },
  },
  example: `- id: swap
  name: Swap usage
  type: assert-threshold
  metric: swap.used_percent
  warn: { above: "{{vars.swap_warn}}" }
  critical: { above: 80 }`,
  // Readings are local and quick; df on a dead network mount is the slow case (5 s of its own).
  defaultTimeout: '30s',
  templates: { message: 'deferred' },
  templateLocals: ['value', 'level', 'limit', 'unit'],
  sideEffects: false,
  check(step, report) {
    if ((step.metric === undefined) === (step.value === undefined)) report([], 'needs exactly one of `metric` or `value`');
    if (!step.warn && !step.critical) report([], 'needs a `warn` or a `critical` threshold (or both)');
    if (step.mount !== undefined && step.metric !== 'disk.used_percent') report(['mount'], '`mount` only applies to metric disk.used_percent');
    for (const { level, comparison, limit } of numericThresholds(step)) {
      // A template is only known at run time: `run` checks what it renders to.
      if (typeof limit === 'string' && hasTemplate(limit)) continue;
      if (numberOf(limit) === undefined) report([level, comparison], `limit "${limit}" ${NOT_A_NUMBER}: write a number or a template that renders to one`);
    }
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
    const reading = step.metric ? await readMetric(step.metric, { mount: step.mount, simulated: override }) : undefined;
    const raw = reading ? reading.value : step.value!;
    const value = normalized(raw);
    requireNumbers(step, value);

    let level: Level = 'ok';
    let hit: Threshold | undefined;
    for (const candidate of LEVELS) {
      const threshold = step[candidate];
      if (!threshold) continue;
      const [comparison, limit] = comparisonOf(threshold);
      if (COMPARISONS[comparison].test(value, limit)) {
        level = candidate;
        hit = threshold;
        break;
      }
    }
    const limit = hit ? normalized(comparisonOf(hit)[1]) : undefined;
    const message = step.message
      ? ctx.render(step.message, { value, level, limit, unit })
      : `${subject(step)} ${value}${unit}${hit ? ` ${thresholdText(hit, unit)}` : ''}`;
    const simulated = override !== undefined;
    return {
      level,
      value,
      message: simulated ? `${message} (simulated)` : message,
      simulated,
      output: { value, level, message, unit, simulated, ...(reading?.total === undefined ? {} : { used_bytes: reading.used, total_bytes: reading.total }) },
      perf: typeof value === 'number'
        ? [{ label: step.id ?? step.metric ?? 'value', value, unit, warn: numericLimit(step.warn), critical: numericLimit(step.critical) }]
        : [],
    };
  },
};
