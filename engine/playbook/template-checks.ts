import { didYouMean } from '../suggest.js';
import { CONTEXT_ROOTS } from '../template/context.js';
import { hasTemplate, helperNames } from '../template/render.js';
import { templateRefs } from '../template/refs.js';
import type { Playbook } from './types.generated.js';

/** What a template at some place in a playbook may refer to. */
export interface TemplateScope {
  playbook: Playbook;
  /** Ids of the steps before the one holding the template, and of all steps. */
  earlierSteps: Set<string>;
  allSteps: Set<string>;
  /** The output keys each step (by id) produces, from its type's declared outputs. */
  outputs?: Map<string, string[]>;
  /** Extra top-level names (an assertion's `value` in its message). */
  locals?: string[];
}

const HELPERS = helperNames();
const DECLARED = { params: 'params', vars: 'vars', env: 'env' } as const;

function checkPath(parts: string[], scope: TemplateScope): string | undefined {
  const [root, name] = parts;
  if (!root) return undefined;
  if (scope.locals?.includes(root)) return undefined;
  if (parts.length === 1 && HELPERS.has(root)) return undefined;
  if (!(CONTEXT_ROOTS as readonly string[]).includes(root)) {
    const readable = [...CONTEXT_ROOTS, ...(scope.locals ?? [])];
    return `unknown name \`${root}\`${didYouMean(root, readable)} (a template can read ${readable.join(', ')})`;
  }
  if (name === undefined) return undefined;
  if (root in DECLARED) {
    const declared = scope.playbook[root as keyof typeof DECLARED] ?? {};
    if (!Object.hasOwn(declared, name)) return `\`${root}.${name}\` is not declared under \`${root}:\`${didYouMean(name, Object.keys(declared))}`;
  }
  if (root === 'steps') {
    if (!scope.allSteps.has(name)) return `\`steps.${name}\` refers to no step (no step has id \`${name}\`)${didYouMean(name, scope.earlierSteps)}`;
    if (!scope.earlierSteps.has(name)) return `\`steps.${name}\` refers to a step that runs later`;
    const [, , field, key] = parts;
    const keys = scope.outputs?.get(name);
    if (field === 'output' && key !== undefined && keys && !keys.includes(key)) {
      return `step \`${name}\` has no output \`${key}\`${didYouMean(key, keys)} (its outputs: ${keys.join(', ')})`;
    }
  }
  return undefined;
}

/** Problems with one template: syntax, unknown helpers, names it may not read. */
export function templateProblems(text: string, scope: TemplateScope): string[] {
  if (!hasTemplate(text)) return [];
  let refs;
  try {
    refs = templateRefs(text);
  } catch (error) {
    // Handlebars puts what it expected on the last line of its message.
    const lines = (error as Error).message.trim().split('\n');
    return [`template syntax: ${lines[lines.length - 1]}`];
  }
  const problems = refs.helpers
    .filter((helper) => !HELPERS.has(helper) && !['if', 'unless', 'each', 'with'].includes(helper))
    .map((helper) => {
      const known = [...HELPERS].filter((h) => !h.startsWith('__') && !['helperMissing', 'blockHelperMissing', 'log', 'lookup'].includes(h));
      return `unknown helper \`${helper}\`${didYouMean(helper, known)} (known: ${known.join(', ')})`;
    });
  if (refs.partials) problems.push('partials and inline templates ({{> name}}, {{#*inline}}) are not supported');
  for (const parts of refs.paths) {
    const problem = checkPath(parts, scope);
    if (problem) problems.push(problem);
  }
  return [...new Set(problems)];
}
