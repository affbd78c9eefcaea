import Handlebars from 'handlebars';
import type { TemplateMode } from '../steps/types.js';
import { HELPERS } from './helpers.js';
import { quoteFor, REFUSED, ShellScanner, type ShellContext } from './shell-context.js';

type AST = hbs.AST.Program;

const hb = Handlebars.create();
for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);

// The value of `parent[key]`, refusing a key that is not there at all (null, "" and false are there).
hb.registerHelper('__defined', (parent: unknown, options: { hash: { key: string; src: string } }) => {
  const { key, src } = options.hash;
  if (parent === null || typeof parent !== 'object' || !(key in parent)) throw new Error(`"${src}" is not defined`);
  return (parent as Record<string, unknown>)[key];
});

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/**
 * Strict mode does not reach block helpers: `{{#if steps.x.output.typo}}` would quietly be false.
 * A name given to one is wrapped so that, missing, it is an error like anywhere else. A
 * sub-expression such as `(lookup previous.steps 'size')` stays the way to read what may be absent.
 */
function strictBlocks(node: any): void {
  if (!node || typeof node !== 'object') return;
  const path = node.params?.[0];
  if (node.type === 'BlockStatement' && BLOCK_HELPERS.has(node.path.original) && path?.type === 'PathExpression' && !path.data && path.parts.length > 0) {
    // `a.b.c` becomes the lookup of key `c` in `a.b` (in `this` for a bare name), so a key that is
    // there but empty reads as false and only a key that is not there at all is an error.
    const parent = { ...path, parts: path.parts.slice(0, -1), original: path.parts.length > 1 ? path.parts.slice(0, -1).join('.') : 'this' };
    const pair = (key: string, value: string) => ({ type: 'HashPair', key, value: literal(value, path.loc), loc: path.loc });
    node.params[0] = {
      type: 'SubExpression',
      path: { type: 'PathExpression', data: false, depth: 0, parts: ['__defined'], original: '__defined', loc: path.loc },
      params: [parent],
      hash: { type: 'Hash', pairs: [pair('key', path.parts[path.parts.length - 1]), pair('src', path.original)], loc: path.loc },
      loc: path.loc,
    };
  }
  for (const child of [node.body, node.program?.body, node.inverse?.body]) if (Array.isArray(child)) child.forEach(strictBlocks);
}

/** POSIX shell quoting of a value used as a bare word. */
export function shellQuote(value: unknown): string {
  return quoteFor('bare', textOf(value));
}

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
}

hb.registerHelper('__shell', (value: unknown, options: { hash: { src: string; at: ShellContext } }) => {
  if (value === undefined) throw new Error(`"${options.hash.src}" is not defined`);
  const at = options.hash.at;
  if (at !== 'bare' && at !== 'double' && at !== 'single') throw new Error(`{{${options.hash.src}}} ${REFUSED[at]}`);
  return quoteFor(at, textOf(value));
});

/** Parses a template; throws with the template's own line and column on a syntax error. */
export function parseTemplate(source: string): AST {
  return hb.parse(source);
}

/**
 * Wraps every `{{...}}` output in the `__shell` helper with the shell context it lands in, so
 * whatever a value holds it reaches the shell as data. The author's literal text is trusted;
 * interpolations never are.
 */
function quoteOutputs(program: AST): void {
  const problems = walkShell(program, wrapInShell);
  if (problems.length) throw new Error(problems[0]);
}

const UNSUPPORTED = new Set(['PartialStatement', 'PartialBlockStatement', 'DecoratorBlock', 'Decorator']);

/**
 * Walks a shell template in source order, feeding the author's text to a shell scanner and
 * calling `fn` with every `{{...}}` output and the context it lands in. Returns the problems:
 * outputs where no quoting is safe, blocks whose text leaves a quote open (their branches or
 * repetitions would change what follows), and partials (text no one can check).
 */
function walkShell(program: AST, fn: (node: any, at: ShellContext) => void): string[] {
  const problems: string[] = [];
  const scanner = new ShellScanner();
  const visitAll = (nodes: any[] | undefined) => nodes?.forEach(visit);
  const visit = (node: any): void => {
    if (node.type === 'ContentStatement') scanner.feed(node.value);
    else if (node.type === 'MustacheStatement') {
      const at = scanner.context;
      if (REFUSED[at]) problems.push(`{{${node.path.original ?? ''}}} ${REFUSED[at]}`);
      else fn(node, at);
      scanner.interpolated();
    } else if (node.type === 'BlockStatement') {
      const start = scanner.snapshot();
      const shape = scanner.shape();
      for (const branch of [node.program, node.inverse]) {
        scanner.restore(start);
        visitAll(branch?.body);
        if (scanner.shape() !== shape) problems.push(`the shell text inside {{#${node.path.original}}} must close every quote, comment or $(...) it opens`);
      }
      scanner.restore(start);
    } else if (UNSUPPORTED.has(node.type)) {
      problems.push('partials and inline templates ({{> name}}, {{#*inline}}) are not allowed in a shell command');
    }
  };
  visitAll(program.body);
  return [...new Set(problems)];
}

/** Problems with where a shell template's interpolations sit (see `walkShell`). */
export function refusedInterpolations(source: string): string[] {
  return walkShell(parseTemplate(source), () => undefined);
}

function literal(value: string, loc: unknown) {
  return { type: 'StringLiteral', value, original: value, loc };
}

function wrapInShell(node: any, at: ShellContext): void {
  const isCall = node.params.length > 0 || (node.hash && node.hash.pairs.length > 0);
  const inner = isCall
    ? { type: 'SubExpression', path: node.path, params: node.params, hash: node.hash, loc: node.loc }
    : node.path;
  const src = isCall ? node.path.original : inner.original ?? String(inner.value);
  node.path = { type: 'PathExpression', data: false, depth: 0, parts: ['__shell'], original: '__shell', loc: node.loc };
  node.params = [inner];
  node.hash = {
    type: 'Hash',
    pairs: [
      { type: 'HashPair', key: 'src', value: literal(src, node.loc), loc: node.loc },
      { type: 'HashPair', key: 'at', value: literal(at, node.loc), loc: node.loc },
    ],
    loc: node.loc,
  };
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

function compiled(source: string, mode: TemplateMode): HandlebarsTemplateDelegate {
  const key = `${mode}\0${source}`;
  let template = cache.get(key);
  if (!template) {
    const ast = parseTemplate(source);
    strictBlocks(ast);
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
