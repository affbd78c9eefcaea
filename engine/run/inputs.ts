import { envFilePath } from '../env-file.js';
import { RunbookError } from '../errors.js';
import type { Playbook } from '../playbook/types.generated.js';
import { Redactor } from '../redact.js';
import { didYouMean } from '../suggest.js';

export interface RunInputs {
  params: Record<string, string>;
  vars: Record<string, unknown>;
  /** Declared env only: the template context's `env`. */
  env: Record<string, string>;
  redactor: Redactor;
}

/** Parses `k=v` arguments (`--param`, `--var`, `--metric`). */
export function parsePairs(pairs: string[], flag: string): Record<string, string> {
  // No prototype: `--param constructor=x` or a lookup of `given.constructor` must find nothing inherited.
  const out: Record<string, string> = Object.create(null);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new RunbookError('BAD_ARGUMENT', `${flag} ${pair}: expected name=value`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

function resolveParams(playbook: Playbook, given: Record<string, string>): Record<string, string> {
  const declared = playbook.params ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      const known = Object.keys(declared);
      throw new RunbookError('BAD_ARGUMENT', `unknown param \`${name}\`${didYouMean(name, known)}; this playbook takes ${known.length ? known.join(', ') : 'no params'}`);
    }
  }
  const params: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = (Object.hasOwn(given, name) ? given[name] : undefined) ?? (spec.default === undefined ? undefined : String(spec.default));
    if (value === undefined) {
      if (spec.required) throw new RunbookError('MISSING_PARAM', `param \`${name}\` is required${spec.description ? ` (${spec.description})` : ''}: pass --param ${name}=VALUE`);
      params[name] = ''; // declared and optional: empty, so `if: "{{params.NAME}}"` can test it
      continue;
    }
    if (spec.pattern && !new RegExp(spec.pattern).test(value)) {
      throw new RunbookError('BAD_ARGUMENT', `param \`${name}\` must match ${spec.pattern}; got ${JSON.stringify(value)}`);
    }
    if (spec.enum && !spec.enum.includes(value)) {
      throw new RunbookError('BAD_ARGUMENT', `param \`${name}\` must be one of ${spec.enum.join(', ')}; got ${JSON.stringify(value)}`);
    }
    params[name] = value;
  }
  return params;
}

function resolveVars(playbook: Playbook, given: Record<string, string>): Record<string, unknown> {
  const vars: Record<string, unknown> = { ...(playbook.vars ?? {}) };
  for (const [name, value] of Object.entries(given)) {
    if (!Object.hasOwn(vars, name)) throw new RunbookError('BAD_ARGUMENT', `unknown var \`${name}\`${didYouMean(name, Object.keys(vars))}; declared vars: ${Object.keys(vars).join(', ') || 'none'}`);
    vars[name] = overrideOf(name, vars[name], value);
  }
  return vars;
}

/**
 * A --var keeps the type of the playbook's default: a number stays a number and a boolean a
 * boolean (so shell templates may treat them as inert); a string default takes any text.
 */
function overrideOf(name: string, declared: unknown, given: string): unknown {
  if (typeof declared === 'number') {
    const number = given.trim() === '' ? NaN : Number(given);
    if (!Number.isFinite(number)) throw new RunbookError('BAD_ARGUMENT', `var \`${name}\` is a number (default ${declared}); got ${JSON.stringify(given)}`);
    return number;
  }
  if (typeof declared === 'boolean') {
    if (given !== 'true' && given !== 'false') throw new RunbookError('BAD_ARGUMENT', `var \`${name}\` is true or false (default ${declared}); got ${JSON.stringify(given)}`);
    return given === 'true';
  }
  return given;
}

/** Checks and gathers a run's inputs; throws (exit 3) before anything runs when one is wrong. */
export function resolveInputs(opts: {
  playbook: Playbook;
  params: Record<string, string>;
  vars: Record<string, string>;
  processEnv: NodeJS.ProcessEnv;
  /** The env file's settings: a source for declared names the environment lacks. */
  settings?: Record<string, string>;
  /** A calling run's redactor, whose secrets stay masked here too. */
  inherited?: Redactor;
}): RunInputs {
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, spec] of Object.entries(opts.playbook.env ?? {})) {
    const value = opts.processEnv[name] || opts.settings?.[name] || spec.default;
    if (value === undefined || value === '') {
      if (spec.required) {
        const where = `export it, or add ${name}=... to ${envFilePath(opts.processEnv)} (read by every run, cron's too)`;
        throw new RunbookError('MISSING_ENV', `environment variable ${name} is required${spec.description ? ` (${spec.description})` : ''} but not set: ${where}`);
      }
      env[name] = ''; // declared and optional: empty, so `if: "{{env.NAME}}"` can test it
      continue;
    }
    env[name] = value;
    if (spec.secret) secrets.push(value);
  }
  return {
    params: resolveParams(opts.playbook, opts.params),
    vars: resolveVars(opts.playbook, opts.vars),
    env,
    redactor: opts.inherited ? opts.inherited.with(secrets) : new Redactor(secrets),
  };
}
