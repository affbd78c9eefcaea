import type { Playbook, Step } from '../playbook/types.generated.js';
import { MASK } from '../redact.js';
import type { TemplateContext } from '../template/context.js';
import type { StepRecord } from './record.js';
import { templateRefs } from '../template/refs.js';
import { hasTemplate } from '../template/render.js';
import { IF_SKIPPED } from './run-step.js';

/**
 * The output of a step a dry run only describes is unknown: any path below it reads as a
 * placeholder showing the expression (`<steps.disk.output.row.size>`), however deep it goes.
 */
const placeholders = new WeakSet<object>();

export function placeholder(path: string): object {
  const text = `<${path}>`;
  const proxy = new Proxy({}, {
    get: (_, key) => (key === Symbol.toPrimitive || key === 'toString' ? () => text : typeof key === 'string' ? placeholder(`${path}.${key}`) : undefined),
    has: () => true,
    // Handlebars only reads own properties (prototype access control).
    getOwnPropertyDescriptor: (_, key) => ({ configurable: true, enumerable: true, value: typeof key === 'string' ? placeholder(`${path}.${key}`) : undefined }),
  });
  placeholders.add(proxy);
  return proxy;
}

/** A step's result with every empty value saying so (`<empty: steps.pm2.output.culprit>`), for descriptions. */
function shownEmpty(value: unknown, path: string): unknown {
  if (value === '' || value === null) return `<empty: ${path}>`;
  if (typeof value !== 'object' || placeholders.has(value)) return value;
  if (Array.isArray(value)) return value.map((item, i) => shownEmpty(item, `${path}.${i}`));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shownEmpty(item, `${path}.${key}`)]));
}

/**
 * The context a description is rendered with: the run's own context, except that a declared
 * secret shows as *** (once quoted for a shell, a value no longer matches the redactor), an
 * input nobody set and an empty result say so instead of leaving a blank ("email to ,").
 */
export function shownContext(context: TemplateContext, playbook: Playbook): TemplateContext {
  const env = Object.fromEntries(Object.entries(context.env).map(([name, value]) =>
    [name, value === '' ? `<not set: ${name}>` : playbook.env?.[name]?.secret ? MASK : value]));
  const params = Object.fromEntries(Object.entries(context.params).map(([name, value]) =>
    [name, value === '' ? `<not set: --param ${name}>` : value]));
  const steps = Object.fromEntries(Object.entries(context.steps).map(([id, view]) => [id, placeholders.has(view.output)
    ? view : { ...view, value: shownEmpty(view.value, `steps.${id}.value`), output: shownEmpty(view.output, `steps.${id}.output`) as Record<string, unknown> }]));
  return { ...context, env, params, steps };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The names a step's templates read under `root` (`steps` gives the ids of the steps it reads). */
function namesRead(step: Step, root: string): Set<string> {
  const names = new Set<string>();
  for (const text of strings(step)) {
    if (!hasTemplate(text)) continue;
    for (const [first, name] of templateRefs(text).paths) if (first === root && name) names.add(name);
  }
  return names;
}

/** The ids of the steps whose results a step's templates read (`steps.ID...`). */
export function stepsRead(step: Step): Set<string> {
  return namesRead(step, 'steps');
}

/**
 * What a description leaves unsaid: the inputs the step reads that nobody set and that its
 * words do not show (a Slack webhook is never printed), as `(not set: SLACK_WEBHOOK)`.
 */
export function unsetNote(step: Step, context: TemplateContext, described: string): string {
  const unset = [
    ...[...namesRead(step, 'env')].filter((name) => context.env[name] === '').map((name) => name),
    ...[...namesRead(step, 'params')].filter((name) => context.params[name] === '').map((name) => `--param ${name}`),
  ].filter((name) => !described.includes(`<not set: ${name}>`));
  return unset.length ? ` (not set: ${unset.join(', ')})` : '';
}

const MARKS: Record<string, string> = { ok: 'OK', warn: 'WARNING', critical: 'CRITICAL', failed: 'FAILED', skipped: 'skipped', pending: 'pending (a task for a person)' };

/** The bracketed flags after a step's name: `[when on-alert, if true, needs approval]`. */
export function stepFlags(step: Step, ifShown: string): string[] {
  return [
    step.when && step.when !== 'on-success' ? `when ${step.when}` : '',
    step.if !== undefined ? (ifShown.startsWith('if ') ? ifShown : `if ${ifShown}`) : '',
    step.confirm ? 'needs approval' : '',
    step.sudo ? 'as root' : '',
    step.timeout ? `timeout ${step.timeout}` : '',
  ].filter(Boolean);
}

/** What a step's line says: what it found when it ran, or what it would do. */
export function stepLine(opts: { done: StepRecord; described: boolean; would: string }): string {
  const { done, described, would } = opts;
  if (described) return `would ${would}`;
  if (done.status === 'skipped') return `skipped (${done.skipped_because?.startsWith(IF_SKIPPED) ? 'if false' : done.skipped_because}); it would ${would}`;
  const detail = done.error ?? done.message ?? (isScalar(done.value) ? String(done.value) : '');
  return `ran: ${MARKS[done.status] ?? done.status}${detail ? ` - ${detail}` : ''}${done.simulated && !detail.includes('simulated') ? ' (simulated)' : ''}`;
}

function isScalar(value: unknown): boolean {
  return ['string', 'number', 'boolean'].includes(typeof value) && value !== '';
}
