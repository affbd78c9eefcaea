import type { Path } from './source.js';
import type { Playbook, Step } from './types.generated.js';

const isMap = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** A mapping of declarations (params, env): every name kept, an entry of the wrong shape emptied. */
function declarations(value: unknown, key: string, broken: (path: Path) => boolean): Record<string, Record<string, unknown>> | undefined {
  if (!isMap(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([name, spec]) => [name, isMap(spec) && !broken([key, name]) ? spec : {}]));
}

/**
 * The parts of a playbook sound enough for the checks after the schema (templates, references,
 * cron, a step type's own checks), so that one pass reports every problem: a part of the wrong
 * shape is left out, since the schema has said what is wrong with it. `checkable(i)` says whether
 * step i may go to its type's own `check` (which trusts the step's shape).
 */
export function soundParts(data: Record<string, unknown>, broken: (path: Path) => boolean): { playbook: Playbook; checkable: (index: number) => boolean } {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const steps = (Array.isArray(data.steps) ? data.steps : []).map((step): Step => {
    if (!isMap(step)) return {} as unknown as Step;
    const { id, ...rest } = step;
    return (typeof id === 'string' ? step : rest) as unknown as Step;
  });
  const playbook = {
    title: text('title') ?? '',
    steps,
    params: declarations(data.params, 'params', broken),
    env: declarations(data.env, 'env', broken),
    vars: isMap(data.vars) ? data.vars : undefined,
    report: isMap(data.report) && typeof data.report.path === 'string' ? data.report : undefined,
    schedule: isMap(data.schedule) && !broken(['schedule']) ? data.schedule : undefined,
    heartbeat: text('heartbeat'),
    log: text('log'),
  } as Playbook;
  return { playbook, checkable: (index) => !broken(['steps', index]) };
}
