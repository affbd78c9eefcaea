import { hasTemplate } from '../template/render.js';
import { templateWords, wordsScope, type WordsScope } from '../template/words.js';

/** What a checklist shows for a playbook's inputs: the vars' values and the steps' names. */
export type ReadableInputs = WordsScope;

/** The readable inputs of a playbook's data. */
export const readableInputs = wordsScope;

/**
 * A template as a reader of the checklist should see it: a var becomes its value, a param
 * `<name>`, an env value `$NAME`, a date its format, anything else the words for what it reads
 * (`<online from “PM2 services”>`). Nothing is rendered against the clock or the machine, so the
 * document is the same on every run.
 */
export function readable(text: string, inputs: ReadableInputs): string {
  return hasTemplate(text) ? templateWords(text, inputs) : text;
}

// Names the engine reads itself, never templates (`if` is put into words by the checklist).
const NOT_TEMPLATES = new Set(['id', 'type', 'when', 'if']);

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
