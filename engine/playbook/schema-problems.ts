import { createRequire } from 'node:module';
import { packageFile } from '../package-files.js';
import { didYouMean } from '../suggest.js';
import type { Problem } from './problems.js';
import type { Path, YamlSource } from './source.js';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
  parentSchema?: { description?: string };
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

// Precompiled by `npm run gen`: compiling the schema at every start would cost ~70 ms.
const load = createRequire(import.meta.url);
const compiled = load(packageFile('schemas', 'playbook.validate.cjs')) as Validator | { default: Validator };
const validate: Validator = typeof compiled === 'function' ? compiled : compiled.default;

const TYPE_WORDS: Record<string, string> = { object: 'a mapping (key: value lines)', array: 'a list', string: 'text', integer: 'a whole number' };

function toPath(pointer: string): Path {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describePath(path: Path): string {
  if (path.length === 0) return 'the playbook';
  const last = path[path.length - 1];
  if (path[0] === 'steps' && path.length === 2) return `step ${Number(last) + 1}`;
  return `\`${String(last)}\``;
}

// Read only when an unknown key needs the known ones for "did you mean".
let schemaJson: unknown;
function knownKeys(schemaPath: string): string[] {
  schemaJson ??= load(packageFile('schemas', 'playbook.schema.json'));
  // #/properties/steps/items/oneOf/7/additionalProperties: the mapping's schema is one level up.
  const parts = schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
  const schema = parts.reduce<any>((node, part) => node?.[part], schemaJson);
  return Object.keys(schema?.properties ?? {});
}

function valueAt(data: unknown, path: Path): unknown {
  return path.reduce<any>((node, part) => node?.[part], data);
}

/** Phrases one ajv error as a rule, at the right place in the file. */
function toProblem(source: YamlSource, error: AjvError, data: unknown): Problem | undefined {
  const path = toPath(error.instancePath);
  const what = describePath(path);
  const p = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return source.problemAt([...path, p.additionalProperty], `unknown key \`${p.additionalProperty}\` in ${what}${didYouMean(p.additionalProperty, knownKeys(error.schemaPath))}`, { key: true });
    case 'required':
      return source.problemAt(path, `${what} is missing required key \`${p.missingProperty}\``);
    case 'enum': {
      const value = valueAt(data, path);
      const hint = typeof value === 'string' ? didYouMean(value, p.allowedValues.map(String)) : '';
      return source.problemAt(path, `${what} must be one of: ${p.allowedValues.join(', ')}${hint}`);
    }
    case 'const':
      return source.problemAt(path, `${what} must be ${JSON.stringify(p.allowedValue)}`);
    case 'type': {
      const problem = source.problemAt(path, `${what} must be ${String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`);
      // run: {{x}} unquoted is a YAML mapping, not a template.
      const unquoted = source.text.split('\n')[problem.line - 1]?.slice(problem.col - 1).startsWith('{{');
      return unquoted ? { ...problem, message: `${problem.message}: a value starting with {{ must be quoted ("{{...}}")` } : problem;
    }
    case 'pattern':
      return source.problemAt(path, String(p.pattern).includes('ms|s|m|h|d|w')
        ? `${what} is not a duration (use 30s, 5m, 2h, 7d)`
        : `${what} must match ${p.pattern}`);
    case 'discriminator':
      // The enum/required error on `type` already says it.
      return undefined;
    case 'propertyNames':
      return undefined; // reported by the nested pattern error
    default:
      return source.problemAt(path, `${what} ${error.message ?? 'is invalid'}`);
  }
}

/** What the schema found: the problems, and which parts of the data the other checks must not trust. */
export interface SchemaCheck {
  problems: Problem[];
  /** True when the value at `path` (or something inside it) has the wrong shape. */
  broken(path: Path): boolean;
}

// An unknown key is reported on its own: the mapping holding it is still sound for other checks.
const SHAPE_SOUND = new Set(['additionalProperties']);

/** Problems the JSON Schema finds, each at its line and column. */
export function schemaCheck(source: YamlSource, data: unknown): SchemaCheck {
  if (validate(data)) return { problems: [], broken: () => false };
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const brokenAt: string[] = [];
  for (const error of validate.errors ?? []) {
    if (!SHAPE_SOUND.has(error.keyword)) brokenAt.push(`${error.instancePath}/`);
    const problem = toProblem(source, error, data);
    const key = problem && `${problem.line}:${problem.col}:${problem.message}`;
    if (problem && !seen.has(key!)) {
      seen.add(key!);
      problems.push(problem);
    }
  }
  const pointer = (path: Path) => `${path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}/`;
  return { problems, broken: (path) => brokenAt.some((at) => at.startsWith(pointer(path))) };
}
