import Handlebars from 'handlebars';
import type { TemplateMode } from '../steps/types.js';
import { HELPERS } from './helpers.js';

type AST = hbs.AST.Program;

const hb = Handlebars.create();
for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);

const SAFE_WORD = /^[A-Za-z0-9_\/.,:=+@%^-]+$/;

/** POSIX shell quoting: the value is one word, whatever it holds. */
export function shellQuote(value: unknown): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  if (SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

hb.registerHelper('__shell', (value: unknown, options: { hash: { src: string } }) => {
  if (value === undefined) throw new Error(`"${options.hash.src}" is not defined`);
  return shellQuote(value);
});

/** Parses a template; throws with the template's own line and column on a syntax error. */
export function parseTemplate(source: string): AST {
  return hb.parse(source);
}

/**
 * Wraps every `{{...}}` output in the `__shell` helper, so whatever a value holds it reaches the
 * shell as one quoted word. The author's literal text is trusted; interpolations never are.
 */
function quoteOutputs(node: any): void {
  if (!node || typeof node !== 'object') return;
  if (node.type === 'MustacheStatement') {
    const isCall = node.params.length > 0 || (node.hash && node.hash.pairs.length > 0);
    const inner = isCall
      ? { type: 'SubExpression', path: node.path, params: node.params, hash: node.hash, loc: node.loc }
      : node.path;
    const src = isCall ? node.path.original : inner.original ?? String(inner.value);
    node.path = { type: 'PathExpression', data: false, depth: 0, parts: ['__shell'], original: '__shell', loc: node.loc };
    node.params = [inner];
    node.hash = { type: 'Hash', pairs: [{ type: 'HashPair', key: 'src', value: { type: 'StringLiteral', value: src, original: src, loc: node.loc }, loc: node.loc }], loc: node.loc };
    node.escaped = true;
    return;
  }
  for (const child of [node.body, node.program?.body, node.inverse?.body]) {
    if (Array.isArray(child)) child.forEach(quoteOutputs);
  }
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

function compiled(source: string, mode: TemplateMode): HandlebarsTemplateDelegate {
  const key = `${mode}\0${source}`;
  let template = cache.get(key);
  if (!template) {
    const ast = parseTemplate(source);
    if (mode === 'shell') quoteOutputs(ast);
    template = hb.compile(ast, { strict: true, noEscape: true, knownHelpersOnly: false });
    cache.set(key, template);
  }
  return template;
}

/** True when the text contains a template expression. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Renders `source` against `context`; throws when a name is missing. */
export function renderTemplate(source: string, context: object, mode: TemplateMode = 'text'): string {
  if (!hasTemplate(source) || mode === 'literal') return source;
  return compiled(source, mode)(context);
}

/** The names of the registered helpers (for validation). */
export function helperNames(): Set<string> {
  return new Set(Object.keys(hb.helpers));
}

/** Whether a template renders to "true" in the sense of a step's `if`. */
export function isTruthy(rendered: string): boolean {
  const text = rendered.trim();
  return text !== '' && text !== 'false' && text !== '0';
}
