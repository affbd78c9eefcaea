import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import type { TemplateMode } from '../steps/types.js';
import { HELPERS } from './helpers.js';
import { type Accepted, placeOutputs, refusal, sourceOf } from './shell/place.js';
import { quoteFor } from './shell/quote.js';
import { INERT_VALUE, type ShellPolicy } from './shell/taint.js';

const NO_POLICY: ShellPolicy = { params: {}, vars: {} };

type AST = hbs.AST.Program;

// The value of `parent[key]`, refusing a key that is not there at all (null, "" and false are there).
function definedHelper(parent: unknown, options: { hash: { key: string; src: string } }): unknown {
  const { key, src } = options.hash;
  if (parent === null || typeof parent !== 'object' || !(key in parent)) throw new Error(`"${src}" is not defined`);
  return (parent as Record<string, unknown>)[key];
}

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

export { shellQuote } from './shell/quote.js';

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
}

interface ShellHash {
  src: string;
  at: Accepted['quote'];
  inert: boolean;
  noOption: boolean;
}

// The last line of defence, at render time, for what validation decided: a value proven inert by
// its declaration still holds only inert characters; a free value is never read as an option.
function shellHelper(value: unknown, options: { hash: ShellHash }): string {
  const { src, at, inert, noOption } = options.hash;
  if (value === undefined) throw new Error(`"${src}" is not defined`);
  const text = textOf(value);
  if (text.includes('\0')) throw new Error(`{{${src}}} holds a NUL byte, which no command line can carry`);
  if (inert && !INERT_VALUE.test(text)) throw new Error(`{{${src}}} holds characters other than digits and . + - : (${JSON.stringify(text.slice(0, 40))}), and it sits where a program reads code`);
  if (noOption && text.startsWith('-')) throw new Error(`{{${src}}} starts with "-" (${JSON.stringify(text.slice(0, 40))}) and would be read as an option: write -- before it in the command`);
  return quoteFor(at, text);
}

/** Parses a template; throws with the template's own line and column on a syntax error. */
export function parseTemplate(source: string): AST {
  return hb().parse(source);
}

const UNSUPPORTED = new Set(['PartialStatement', 'PartialBlockStatement', 'DecoratorBlock', 'Decorator']);

/**
 * Why a shell or URL template cannot be checked at all: partials (text nobody can see) and
 * block forms of value helpers (`{{#default x}}{{/default}}` and raw blocks output the value
 * itself, past the quoting). Only #if, #unless, #each and #with may open a block there.
 */
function uncheckable(node: any): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (UNSUPPORTED.has(node.type)) return 'partials and inline templates ({{> name}}, {{#*inline}}) are not allowed here';
  if (node.type === 'BlockStatement' && !BLOCK_HELPERS.has(node.path.original)) {
    return `{{#${node.path.original}}} is not allowed here: only #if, #unless, #each and #with open a block; write {{${node.path.original} ...}}`;
  }
  for (const child of [node.body, node.program?.body, node.inverse?.body]) {
    const why = Array.isArray(child) ? child.map(uncheckable).find(Boolean) : undefined;
    if (why) return why;
  }
  return undefined;
}

/** Every refusal of a shell template's outputs, or the decisions when there is none. */
function decisions(program: AST, policy: ShellPolicy): { problems: string[]; placed: ReturnType<typeof placeOutputs> } {
  const why = uncheckable(program);
  if (why) return { problems: [why], placed: [] };
  const placed = placeOutputs(program, policy, HELPER_NAMES);
  const problems = placed.flatMap(({ node, decision }) => ('refused' in decision ? [refusal(node, decision.refused)] : []));
  return { problems: [...new Set(problems)], placed };
}

/** Why a shell template's values cannot be placed safely (empty when they can): see `placeOutputs`. */
export function refusedInterpolations(source: string, policy: ShellPolicy = NO_POLICY): string[] {
  return decisions(parseTemplate(source), policy).problems;
}

/** Why a template cannot be placed safely where its mode puts it (empty when it can). */
export function refusedTemplate(source: string, mode: TemplateMode, policy: ShellPolicy = NO_POLICY): string[] {
  if (mode === 'shell') return refusedInterpolations(source, policy);
  const why = mode === 'url' ? uncheckable(parseTemplate(source)) : undefined;
  return why ? [why] : [];
}

/**
 * Wraps every `{{...}}` output in the `__shell` helper with how its value goes in, so whatever a
 * value holds it reaches the shell as data. The author's literal text is trusted; values never are.
 */
function quoteOutputs(program: AST, policy: ShellPolicy): void {
  const { problems, placed } = decisions(program, policy);
  if (problems.length) throw new Error(problems[0]);
  for (const { node, decision } of placed) wrapInShell(node, decision as Accepted);
}

function literal(value: unknown, loc: unknown) {
  return typeof value === 'boolean' ? { type: 'BooleanLiteral', value, original: value, loc } : { type: 'StringLiteral', value, original: value, loc };
}

/** Turns `{{expr}}` into `{{helper (expr) key=value...}}`, so the helper sees the value. */
function wrapOutput(node: any, helper: string, hash: Record<string, unknown> = {}): void {
  const isCall = node.params.length > 0 || (node.hash && node.hash.pairs.length > 0);
  const inner = isCall
    ? { type: 'SubExpression', path: node.path, params: node.params, hash: node.hash, loc: node.loc }
    : node.path;
  node.path = { type: 'PathExpression', data: false, depth: 0, parts: [helper], original: helper, loc: node.loc };
  node.params = [inner];
  node.hash = {
    type: 'Hash',
    pairs: Object.entries(hash).map(([key, value]) => ({ type: 'HashPair', key, value: literal(value, node.loc), loc: node.loc })),
    loc: node.loc,
  };
}

function wrapInShell(node: any, how: Accepted): void {
  const hash: ShellHash = { src: sourceOf(node), at: how.quote, inert: how.inert, noOption: how.noOption };
  wrapOutput(node, '__shell', { ...hash });
}

function urlHelper(value: unknown, options: { hash: { src: string } }): string {
  if (value === undefined) throw new Error(`"${options.hash.src}" is not defined`);
  return encodeURIComponent(textOf(value));
}

// handlebars is loaded by the first template that needs it compiled (most of a run's are plain
// paths, rendered without it), synchronously as rendering is: the bundle keeps it as a CommonJS
// file of its own (dist/handlebars.cjs, scripts/build.mjs); from the TypeScript source, the package.
declare const __RUNBOOK_HANDLEBARS__: string | undefined;
const HANDLEBARS = typeof __RUNBOOK_HANDLEBARS__ === 'string' ? __RUNBOOK_HANDLEBARS__ : 'handlebars';
const OWN_HELPERS = { __defined: definedHelper, __shell: shellHelper, __url: urlHelper };
/** The helpers handlebars itself registers (test/template/plain-paths.test.ts holds this to its list). */
export const HANDLEBARS_HELPERS = ['blockHelperMissing', 'each', 'helperMissing', 'if', 'log', 'lookup', 'unless', 'with'];
const HELPER_NAMES = new Set([...HANDLEBARS_HELPERS, ...Object.keys(HELPERS), ...Object.keys(OWN_HELPERS)]);
let instance: typeof Handlebars | undefined;

function hb(): typeof Handlebars {
  if (!instance) {
    instance = (createRequire(import.meta.url)(HANDLEBARS) as typeof Handlebars).create();
    for (const [name, fn] of Object.entries({ ...HELPERS, ...OWN_HELPERS })) instance.registerHelper(name, fn as Handlebars.HelperDelegate);
  }
  return instance;
}

/**
 * In a URL, a value after the start is one percent-encoded component: it cannot change the
 * host, add a query or a fragment, or step out of its path segment. A value that starts the
 * text is the base (`{{env.HEALTH_URL}}/ready`) and goes in as written.
 */
function encodeUrlValues(program: AST): void {
  const visit = (nodes: any[] | undefined, atStart: boolean) =>
    nodes?.forEach((node, index) => {
      const first = atStart && index === 0;
      if (node.type === 'MustacheStatement' && !first) wrapOutput(node, '__url', { src: sourceOf(node) });
      visit(node.program?.body, false);
      visit(node.inverse?.body, false);
    });
  visit(program.body, true);
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

function compiled(source: string, mode: TemplateMode, policy: ShellPolicy): HandlebarsTemplateDelegate {
  const key = mode === 'shell' ? `${mode}\0${JSON.stringify(policy)}\0${source}` : `${mode}\0${source}`;
  let template = cache.get(key);
  if (!template) {
    const ast = parseTemplate(source);
    strictBlocks(ast);
    if (mode === 'shell') quoteOutputs(ast, policy);
    if (mode === 'url') {
      const why = uncheckable(ast);
      if (why) throw new Error(why);
      encodeUrlValues(ast);
    }
    template = hb().compile(ast, { strict: true, noEscape: true, knownHelpersOnly: false });
    cache.set(key, template);
  }
  return template;
}

/** True when the text contains a template expression. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

// Text whose every `{{...}}` is a plain name or dotted path: most of a run's templates.
const PLAIN_PATH = /\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}/g;
const NOT_NAMES = new Set(['this', 'else', 'true', 'false', 'null', 'undefined']);

/** The value at `path`, when every step of the way is the object's own property and it is not a function. */
function plainValue(context: object, path: string): { value: unknown } | undefined {
  const keys = path.split('.');
  // Keywords are not names in any place: handlebars reads `a.this` as an invalid path, `a.true` as a literal.
  if (keys.some((key) => NOT_NAMES.has(key)) || (keys.length === 1 && HELPER_NAMES.has(path))) return undefined;
  let value: unknown = context;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'function' ? undefined : { value };
}

/**
 * A text template of plain paths, rendered without compiling one: the same text handlebars gives
 * (strict, unescaped), or undefined for anything else (a helper, a block, an escape, a missing
 * name), which handlebars renders or refuses with its own message.
 */
function plainRender(source: string, context: object): string | undefined {
  const parts = source.split(PLAIN_PATH);
  for (let i = 0; i < parts.length; i += 2) {
    const text = parts[i]!;
    if (text.includes('{{') || text.endsWith('{') || text.endsWith('\\') || (i > 0 && text.startsWith('}'))) return undefined;
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const found = plainValue(context, parts[i]!);
    if (!found) return undefined;
    // As handlebars appends it: `+` converts by valueOf first, a template literal by toString.
    out += '' + (found.value ?? '') + parts[i + 1];
  }
  return out;
}

/**
 * Renders `source` against `context`; throws when a name is missing. Shell templates need the
 * playbook's policy to let declared-inert values into code places; without it every value is free.
 */
export function renderTemplate(source: string, context: object, mode: TemplateMode = 'text', policy: ShellPolicy = NO_POLICY): string {
  if (!hasTemplate(source) || mode === 'literal') return source;
  return (mode === 'text' ? plainRender(source, context) : undefined) ?? compiled(source, mode, policy)(context);
}

/** The names of the registered helpers (for validation). */
export function helperNames(): Set<string> {
  return new Set(HELPER_NAMES);
}

/** Whether a template renders to "true" in the sense of a step's `if`. */
export function isTruthy(rendered: string): boolean {
  const text = rendered.trim();
  return text !== '' && text !== 'false' && text !== '0';
}
