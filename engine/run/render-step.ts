import type { Step } from '../playbook/types.generated.js';
import { stepType } from '../steps/index.js';
import type { TemplateMode } from '../steps/types.js';
import { renderTemplate } from '../template/render.js';
import type { ShellPolicy } from '../template/shell/taint.js';

// Keys the engine reads itself; `if` is rendered when deciding whether the step runs.
const ENGINE_KEYS = new Set(['id', 'type', 'when', 'if']);

function renderDeep(value: unknown, mode: TemplateMode, context: object, policy: ShellPolicy): unknown {
  if (typeof value === 'string') return renderTemplate(value, context, mode, policy);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, mode, context, policy));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, mode, context, policy)]));
  }
  return value;
}

/**
 * The step with its templates rendered as its type asks: `shell` keys quoted, `literal` and
 * `deferred` keys left as written. Throws when a template reads a missing name.
 */
export function renderStep(step: Step, context: object, policy: ShellPolicy): Step {
  const modes = stepType(step.type).templates ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step)) {
    const mode = modes[key] ?? 'text';
    out[key] = ENGINE_KEYS.has(key) || mode === 'deferred' ? value : renderDeep(value, mode, context, policy);
  }
  return out as unknown as Step;
}
