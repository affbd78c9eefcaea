import { alphabetOf } from './regex-alphabet.js';

/**
 * Where a value comes from, which decides where in shell text it may go:
 * - `author`: written in the playbook or made by runbook (literals, enum params, boolean vars,
 *   the run's id and status, a step's status): it carries no code the author did not write;
 * - `checked`: a number, or a param proven to be one by its pattern (digits and `.+-:` only), a
 *   number var, a helper's arithmetic on other values: checked again when it is rendered. Not
 *   letters: to sed, perl or ruby a single letter can be a command (`s/x/y/e`, `qx.id.`);
 * - `free`: anything else (free-text params, string vars, env, step outputs, previous runs, the
 *   host name, which DHCP may set).
 */
export type Origin = 'author' | 'checked' | 'free';

/** What a playbook declares about its inputs, as far as shell templates care. */
export interface ShellPolicy {
  params: Record<string, Origin>;
  vars: Record<string, Origin>;
}

/** The characters a `checked` value may hold: a number, a time or a version, nothing an interpreter runs. */
export const INERT_VALUE = /^[0-9.+:-]*$/;
const NUMERIC_CHARS = /^[0-9.+:-]$/;

const ORDER: Origin[] = ['author', 'checked', 'free'];
const worst = (origins: Origin[]): Origin => ORDER[Math.max(0, ...origins.map((origin) => ORDER.indexOf(origin)))]!;

function patternOrigin(pattern: string): Origin {
  const alphabet = alphabetOf(pattern);
  if (!alphabet) return 'free';
  return [...alphabet].every((c) => NUMERIC_CHARS.test(c)) ? 'checked' : 'free';
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
    typeof value === 'boolean' ? 'author' : typeof value === 'number' ? 'checked' : 'free',
  ]);
  return { params: Object.fromEntries(params), vars: Object.fromEntries(vars) };
}

// Helpers whose result is true or false, whatever they are given.
const BOOLEAN_HELPERS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'and', 'or', 'not']);
// Helpers whose result is a number (or one with a unit): as inert as their arguments, at best checked.
const NUMERIC_HELPERS = new Set(['add', 'sub', 'mul', 'div', 'round', 'percent', 'bytes']);
// Helpers whose result is made of their arguments.
const PASSING_HELPERS = new Set(['date', 'json', 'default', 'lookup']);
// What runbook itself sets: engine enums and generated names. (A previous run is read back from
// a file, so it is free text like any other input.)
const AUTHOR_PATHS = /^(?:steps\.\w+\.(?:status|level)|run\.(?:id|started_at|status)|playbook\.(?:name|title))$/;

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
  if (BOOLEAN_HELPERS.has(helper)) return 'author';
  if (NUMERIC_HELPERS.has(helper)) return args.every((arg) => arg === 'author') ? 'author' : 'checked';
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
