/** What a checklist shows for a playbook's inputs. */
export interface ReadableInputs {
  vars: Record<string, unknown>;
}

// {{vars.x}}, {{params.x}}, {{env.X}} and {{date "FORMAT"}}, with Handlebars' optional spaces.
const SIMPLE_TEMPLATE = /\{\{\s*(?:(vars|params|env)\.([\w-]+)|date\s+"([^"]*)")\s*\}\}/g;

/**
 * A template as a reader of the checklist should see it: a var becomes its value, a param
 * `<name>`, an env value `$NAME`, a date its format. Everything else stays as written. Nothing is
 * rendered against the clock or the machine, so the document is the same on every run.
 */
export function readable(text: string, inputs: ReadableInputs): string {
  return text.replace(SIMPLE_TEMPLATE, (whole, scope?: string, name?: string, format?: string) => {
    if (format !== undefined) return format;
    if (scope === 'params') return `<${name}>`;
    if (scope === 'env') return `$${name}`;
    return Object.hasOwn(inputs.vars, name!) ? String(inputs.vars[name!]) : whole;
  });
}

// Names the engine reads itself, never templates.
const NOT_TEMPLATES = new Set(['id', 'type', 'when']);

function readableDeep(value: unknown, inputs: ReadableInputs): unknown {
  if (typeof value === 'string') return readable(value, inputs);
  if (Array.isArray(value)) return value.map((item) => readableDeep(item, inputs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, readableDeep(item, inputs)]));
  }
  return value;
}

/** The step with every template made readable, for its type's `describe` and `checklist`. */
export function readableStep<S extends object>(step: S, inputs: ReadableInputs): S {
  return Object.fromEntries(Object.entries(step).map(([key, value]) => [key, NOT_TEMPLATES.has(key) ? value : readableDeep(value, inputs)])) as S;
}
