import { parseTemplate } from './render.js';

/** What a checklist knows to put a template into words: the vars' values and the steps' names. */
export interface WordsScope {
  vars: Record<string, unknown>;
  /** Step id to step name. */
  steps: Record<string, string>;
}

/** The words scope of a playbook's data. */
export function wordsScope(data: { vars?: Record<string, unknown>; steps?: { id?: string; name: string }[] }): WordsScope {
  return { vars: data.vars ?? {}, steps: Object.fromEntries((data.steps ?? []).flatMap((step) => (step.id ? [[step.id, step.name]] : []))) };
}

type Node = any;

const COMPARE: Record<string, string> = { eq: 'is', ne: 'is not', gt: 'is above', gte: 'is at least', lt: 'is below', lte: 'is at most' };
const STATUS_WORDS: Record<string, [string, string]> = {
  ok: ['worked', 'did not work'], failed: ['failed', 'did not fail'], skipped: ['was skipped', 'was not skipped'], pending: ['is pending', 'is not pending'],
};
const LEVEL_WORDS: Record<string, [string, string]> = {
  ok: ['is OK', 'alerted'], warn: ['warns', 'does not warn'], critical: ['is critical', 'is not critical'],
};
const ARITHMETIC: Record<string, string> = { add: 'plus', sub: 'minus', mul: 'times', div: 'divided by' };

function stepName(id: string, scope: WordsScope): string {
  return `“${scope.steps[id] ?? id}”`;
}

/** A step's result in words: `the value of “Swap usage”`, `online from “PM2 services”`. */
function stepPath(id: string, rest: string[], scope: WordsScope): string {
  const name = stepName(id, scope);
  const [field, ...key] = rest;
  if (field === undefined) return `the result of ${name}`;
  if (field === 'output') return key.length ? `${key.join('.')} from ${name}` : `the output of ${name}`;
  return `the ${field} of ${name}`;
}

function pathWords(parts: string[], scope: WordsScope): string {
  const [root, name, ...rest] = parts;
  switch (root) {
    case 'vars':
      return name !== undefined && Object.hasOwn(scope.vars, name) ? String(scope.vars[name]) : `the var ${name}`;
    case 'params':
      return `the param ${name}`;
    case 'env':
      return `$${name}`;
    case 'steps':
      return name === undefined ? 'the steps so far' : stepPath(name, rest, scope);
    case 'previous':
      if (name === undefined) return 'a previous run';
      if (name === 'steps' && rest[0]) return `${stepPath(rest[0], rest.slice(1), scope)} in the previous run`;
      return `the previous run's ${[name, ...rest].join('.')}`;
    case 'run':
      return name === 'alerts' ? 'the alerts so far' : `this run's ${[name, ...rest].join('.')}`;
    case 'playbook':
      return `the playbook's ${name ?? 'name'}`;
    case 'host':
      return 'the host name';
    default:
      return parts.join('.');
  }
}

/** Words for an expression; `within` is the path a `#with` block has moved into. */
function expression(node: Node, scope: WordsScope, within: string[]): string {
  switch (node.type) {
    case 'PathExpression':
      if (node.data) return node.parts.join('.') === 'index' ? 'its position' : `the item's ${node.parts.join('.')}`;
      return pathWords([...within, ...node.parts], scope);
    case 'StringLiteral':
      return `“${node.value}”`;
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return String(node.value);
    case 'SubExpression':
      return call(node.path.original, node.params, scope, within);
    default:
      return 'a value';
  }
}

/** `(lookup previous.steps 'size')` reads as the path `previous.steps.size`. */
function lookupPath(node: Node, within: string[]): string[] | undefined {
  if (node.type === 'PathExpression' && !node.data) return [...within, ...node.parts];
  if (node.type === 'SubExpression' && node.path.original === 'lookup' && node.params[1]?.type === 'StringLiteral') {
    const parent = lookupPath(node.params[0], within);
    return parent && [...parent, node.params[1].value];
  }
  return undefined;
}

/** A comparison of a step's status or level reads as what happened: “Log scan” worked. */
function stepState(params: Node[], negate: boolean, scope: WordsScope, within: string[]): string | undefined {
  const parts = lookupPath(params[0], within);
  const literal = params[1]?.type === 'StringLiteral' ? params[1].value : undefined;
  if (!parts || parts[0] !== 'steps' || parts.length !== 3 || literal === undefined) return undefined;
  const words = (parts[2] === 'status' ? STATUS_WORDS : parts[2] === 'level' ? LEVEL_WORDS : {})[literal];
  return words && `${stepName(parts[1]!, scope)} ${words[negate ? 1 : 0]}`;
}

function call(helper: string, params: Node[], scope: WordsScope, within: string[]): string {
  const args = params.map((param) => expression(param, scope, within));
  if (helper in COMPARE) return stepState(params, helper === 'ne', scope, within) ?? `${args[0]} ${COMPARE[helper]} ${args[1]}`;
  if (helper in ARITHMETIC) return `${args[0]} ${ARITHMETIC[helper]} ${args[1]}`;
  switch (helper) {
    case 'and':
    case 'or':
      return args.map((arg, i) => (params[i]?.type === 'SubExpression' || params[i]?.type === 'PathExpression' ? condition(params[i], scope, within) : arg)).join(` ${helper} `);
    case 'not':
      return `not (${condition(params[0], scope, within)})`;
    case 'lookup': {
      const parts = lookupPath({ type: 'SubExpression', path: { original: 'lookup' }, params }, within);
      return parts ? pathWords(parts, scope) : `${args[1]} of ${args[0]}`;
    }
    case 'date':
      return params[0]?.type === 'StringLiteral' ? params[0].value : 'the date and time';
    case 'json':
      return `${args[0]} as JSON`;
    case 'default':
      return `${args[0]}, else ${args[1]}`;
    default:
      return args.length ? `${helper} of ${args.join(', ')}` : helper;
  }
}

/** An expression as something that holds or not: a bare name reads as "is set". */
function condition(node: Node, scope: WordsScope, within: string[]): string {
  if (node.type === 'PathExpression' && !node.data) {
    const parts = [...within, ...node.parts];
    if (parts[0] === 'previous' && parts.length === 1) return 'there is a previous run';
    if (parts[0] === 'params') return `the param ${parts[1]} is given`;
    return `${pathWords(parts, scope)} is set`;
  }
  return expression(node, scope, within);
}

/** The words of a template's statements, in order. */
function statements(body: Node[], scope: WordsScope, within: string[]): string {
  return body.map((node) => {
    switch (node.type) {
      case 'ContentStatement':
        return node.value;
      case 'MustacheStatement':
        return node.params.length ? call(node.path.original, node.params, scope, within) : expression(node.path, scope, within);
      case 'BlockStatement':
        return block(node, scope, within);
      default:
        return '';
    }
  }).join('');
}

function block(node: Node, scope: WordsScope, within: string[]): string {
  const helper = node.path.original;
  const subject = node.params[0];
  const inner = (program: Node, path = within) => (program ? statements(program.body, scope, path).trim() : '');
  if (helper === 'with') return inner(node.program, lookupPath(subject, within) ?? within);
  if (helper === 'each') return `for each of ${expression(subject, scope, within)}: ${inner(node.program, [])}`;
  const test = condition(subject, scope, within);
  const [yes, no] = helper === 'unless' ? [inner(node.inverse), inner(node.program)] : [inner(node.program), inner(node.inverse)];
  if (yes && no) return `${yes} if ${test}, else ${no}`;
  if (yes) return `${yes}, if ${test} (else empty)`;
  return no ? `${no} unless ${test}` : '';
}

/** A condition (`if:`) in words: `“Log scan” worked and the value of “Room” is at least 0`. */
export function conditionWords(source: string, scope: WordsScope): string {
  const body = parseTemplate(source.trim()).body as Node[];
  if (body.every((node) => node.type === 'ContentStatement')) return source.trim();
  const only = body.length === 1 ? body[0] : undefined;
  if (only?.type === 'MustacheStatement') return only.params.length ? call(only.path.original, only.params, scope, []) : condition(only.path, scope, []);
  return `${statements(body, scope, []).trim()} is not empty`;
}

/**
 * A template in a checklist: each `{{...}}` becomes words (a var its value, a param `<name>`, an
 * env value `$NAME`, a date its format, anything else `<what it reads>`), so a person reads
 * what will be there and never template code.
 */
export function templateWords(source: string, scope: WordsScope): string {
  return (parseTemplate(source).body as Node[]).map((node) => {
    if (node.type === 'ContentStatement') return node.value;
    if (node.type === 'MustacheStatement' && !node.params.length && node.path.type === 'PathExpression' && !node.path.data) {
      const [root, name] = node.path.parts as string[];
      if (root === 'params' && name) return `<${name}>`;
      if (root === 'env' && name) return `$${name}`;
      if (root === 'vars' && name && Object.hasOwn(scope.vars, name)) return String(scope.vars[name]);
    }
    if (node.type === 'MustacheStatement' && node.path.original === 'date') return call('date', node.params, scope, []);
    const words = statements([node], scope, []).trim();
    return words ? `<${words}>` : '';
  }).join('');
}
