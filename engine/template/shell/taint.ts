import { alphabetOf } from './regex-alphabet.js';

/**
 * Where a value comes from, which decides where in shell text it may go:
 * - `author`: written in the playbook or made by runbook (literals, enum params, numbers from
 *   helpers, the run's id, the host's name): it carries no code the author did not write;
 * - `checked`: a param or var proven inert by its declaration (a pattern whose every character
 *   is a letter, digit or `_`, or only digits and `.+-:`; a number or boolean var): checked
 *   again against those characters when it is rendered;
 * - `free`: anything else (free-text params, env values, step outputs, previous runs).
 */
export type Origin = 'author' | 'checked' | 'free';

/** What a playbook declares about its inputs, as far as shell templates care. */
export interface ShellPolicy {
  params: Record<string, Origin>;
  vars: Record<string, Origin>;
}

/** The characters a `checked` value may hold, in any interpreter: no quote, operator or delimiter. */
export const INERT_VALUE = /^(?:[A-Za-z0-9_]*|[0-9.+:-]*)$/;
const WORD_CHARS = /^[A-Za-z0-9_]$/;
const NUMERIC_CHARS = /^[0-9.+:-]$/;

const ORDER: Origin[] = ['author', 'checked', 'free'];
const worst = (origins: Origin[]): Origin => ORDER[Math.max(0, ...origins.map((origin) => ORDER.indexOf(origin)))]!;

function patternOrigin(pattern: string): Origin {
  const alphabet = alphabetOf(pattern);
  if (!alphabet) return 'free';
  const chars = [...alphabet];
  return chars.every((c) => WORD_CHARS.test(c)) || chars.every((c) => NUMERIC_CHARS.test(c)) ? 'checked' : 'free';
}

interface Declarations {
  params?: Record<string, { enum?: string[]; pattern?: string }>;
  vars?: Record<string, unknown>;
}

/** The policy of one playbook; with none, every param and var is free. */
export function shellPolicy(playbook: Declarations): ShellPolicy {
  const params = Object.entries(playbook.params ?? {}).map(([name, spec]): [string, Origin] => [
    name,
    spec.enum ? 'author' : spec.pattern ? patternOrigin(spec.pattern) : 'free',
  ]);
  const vars = Object.entries(playbook.vars ?? {}).map(([name, value]): [string, Origin] => [
    name,
    typeof value === 'number' || typeof value === 'boolean' ? 'checked' : 'free',
  ]);
  return { params: Object.fromEntries(params), vars: Object.fromEntries(vars) };
}

// Helpers whose result is a number, a boolean or a unit-suffixed number, whatever they are given.
const NUMERIC_HELPERS = new Set(['add', 'sub', 'mul', 'div', 'round', 'percent', 'bytes', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not']);
// Helpers whose result is made of their arguments.
const PASSING_HELPERS = new Set(['date', 'json', 'default', 'lookup']);
// What runbook itself sets: engine enums and generated names.
const AUTHOR_PATHS = /^(?:steps\.\w+\.(?:status|level)|run\.(?:id|started_at|status)|previous\.(?:status|run_id|started_at)|playbook\.\w+|host\.\w+)$/;

function pathOrigin(node: any, policy: ShellPolicy, scoped: boolean, helpers: Set<string>): Origin {
  const parts: string[] = node.parts;
  if (node.data) {
    if (parts[0] === 'root') return pathOrigin({ ...node, data: false, parts: parts.slice(1) }, policy, false, helpers);
    return ['index', 'first', 'last'].includes(parts[0]!) ? 'author' : 'free';
  }
  if (parts.length === 1 && helpers.has(parts[0]!)) return helperOrigin(parts[0]!, []);
  if (scoped) return 'free'; // inside #each/#with a path reads the item
  const [root, name] = parts;
  if (parts.length === 2 && (root === 'params' || root === 'vars')) return Object.hasOwn(policy[root], name!) ? policy[root][name!]! : 'free';
  return AUTHOR_PATHS.test(parts.join('.')) ? 'author' : 'free';
}

function helperOrigin(helper: string, args: Origin[]): Origin {
  if (NUMERIC_HELPERS.has(helper)) return 'author';
  if (PASSING_HELPERS.has(helper)) return worst(args);
  return 'free';
}

/** The origin of an expression: a path, a literal, or a helper call (a mustache or a sub-expression). */
export function originOf(node: any, policy: ShellPolicy, scoped: boolean, helpers: Set<string>): Origin {
  switch (node.type) {
    case 'PathExpression':
      return pathOrigin(node, policy, scoped, helpers);
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'UndefinedLiteral':
      return 'author';
    case 'MustacheStatement':
    case 'SubExpression': {
      const args = [...node.params, ...(node.hash?.pairs.map((pair: any) => pair.value) ?? [])];
      if (node.type === 'MustacheStatement' && args.length === 0) return originOf(node.path, policy, scoped, helpers);
      return helperOrigin(node.path.original, args.map((arg: any) => originOf(arg, policy, scoped, helpers)));
    }
    default:
      return 'free';
  }
}
