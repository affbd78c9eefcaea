import type { Playbook, Step } from '../playbook/types.generated.js';
import { MASK } from '../redact.js';
import type { TemplateContext } from '../template/context.js';
import type { StepRecord } from './record.js';
import { templateRefs } from '../template/refs.js';
import { hasTemplate } from '../template/render.js';

/**
 * The output of a step a dry run only describes is unknown: any path below it reads as a
 * placeholder showing the expression (`<steps.disk.output.row.size>`), however deep it goes.
 */
export function placeholder(path: string): object {
  const text = `<${path}>`;
  return new Proxy({}, {
    get: (_, key) => (key === Symbol.toPrimitive || key === 'toString' ? () => text : typeof key === 'string' ? placeholder(`${path}.${key}`) : undefined),
    has: () => true,
    // Handlebars only reads own properties (prototype access control).
    getOwnPropertyDescriptor: (_, key) => ({ configurable: true, enumerable: true, value: typeof key === 'string' ? placeholder(`${path}.${key}`) : undefined }),
  });
}

/**
 * The context a description is rendered with: the run's own context, except that a declared
 * secret shows as *** (once quoted for a shell, a value no longer matches the redactor) and an
 * input nobody set says so instead of leaving a blank ("email to ,").
 */
export function shownContext(context: TemplateContext, playbook: Playbook): TemplateContext {
  const env = Object.fromEntries(Object.entries(context.env).map(([name, value]) =>
    [name, value === '' ? `<not set: ${name}>` : playbook.env?.[name]?.secret ? MASK : value]));
  const params = Object.fromEntries(Object.entries(context.params).map(([name, value]) =>
    [name, value === '' ? `<not set: --param ${name}>` : value]));
  return { ...context, env, params };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The ids of the steps whose results a step's templates read (`steps.ID...`). */
export function stepsRead(step: Step): Set<string> {
  const ids = new Set<string>();
  for (const text of strings(step)) {
    if (!hasTemplate(text)) continue;
    for (const [root, id] of templateRefs(text).paths) if (root === 'steps' && id) ids.add(id);
  }
  return ids;
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
  if (done.status === 'skipped') return `skipped (${done.skipped_because?.startsWith('if:') ? 'if false' : done.skipped_because}); it would ${would}`;
  const detail = done.error ?? done.message ?? (isScalar(done.value) ? String(done.value) : '');
  return `ran: ${MARKS[done.status] ?? done.status}${detail ? ` - ${detail}` : ''}${done.simulated && !detail.includes('simulated') ? ' (simulated)' : ''}`;
}

function isScalar(value: unknown): boolean {
  return ['string', 'number', 'boolean'].includes(typeof value) && value !== '';
}
