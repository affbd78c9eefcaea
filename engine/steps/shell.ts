import { existsSync } from 'node:fs';
import type { ShellStep } from '../playbook/types.generated.js';
import { codeVariable } from '../template/shell/commands.js';
import { StepFailure } from './failure.js';
import { oversizeProblem, TOO_BIG_IN_ALL } from './support/arg-limits.js';
import { MAX_OUTPUT_BYTES, runProcess } from './support/process.js';
import type { StepType } from './types.js';


const INTERPRETERS = { sh: '/bin/sh', bash: 'bash' } as const;
const TAIL_LINES = 5;
const INLINE_COMMAND_MAX = 60;

/** stdout as JSON, or null when it is not (so `{{#if steps.x.output.json}}` can test it). */
function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{"]/.test(trimmed)) return null;
  try {
    return JSON.parse(trimmed);
  } catch {
    return null;
  }
}

// `lines` is for templates that walk a command's output; a flood is cut (the text stays whole).
const MAX_LINES = 10_000;

function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n', MAX_LINES + 1);
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `[… more lines cut: see stdout]`] : lines;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export const shell: StepType<ShellStep> = {
  summary: 'Runs a shell command; every {{...}} in `run` is shell-quoted.',
  schema: {
    properties: {
      run: { type: 'string', minLength: 1, description: 'Command text; every {{...}} is quoted for where it lands', examples: ['df -h /'] },
      shell: { enum: ['sh', 'bash'], default: 'sh', description: 'The interpreter: /bin/sh -c, or bash -c' },
      cwd: { type: 'string', description: 'The folder the command starts in (default: where runbook runs)' },
      env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra environment for the command; the safe way to hand it a template value: env: { NAME: "{{...}}" } and "$NAME" in run', examples: [{ TARGET: '{{params.process}}' }] },
      ok_exit_codes: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 255 }, minItems: 1, default: [0], description: 'Exit codes that count as success (grep finding nothing exits 1)', examples: [[0, 1]] },
    },
    required: ['run'],
  },
  outputs: {
    stdout: { type: 'string', description: 'Everything the command printed on stdout' },
    stderr: { type: 'string', description: 'Everything it printed on stderr' },
    exit_code: { type: 'number', description: 'Its exit code (null when killed by a signal)' },
    lines: { type: 'list', description: 'stdout split into lines (the first 10,000)' },
    json: { type: 'any', description: 'stdout parsed as JSON, or null when it is not JSON; any shape below it' },
  },
  example: `- id: big_logs
  name: Largest log files
  type: shell
  run: du -sh /var/log/* | sort -rh | head -5
  timeout: 30s`,
  templates: { run: 'shell' },
  // The safe form for a value is the step's env; not these names, whose values programs run.
  check: (step, report) => {
    for (const [name, value] of Object.entries(step.env ?? {})) {
      if (codeVariable(name) && value.includes('{{')) report(['env', name], `\`${name}\` is a variable programs run code from (or find programs with): it cannot take a template; use another name`);
    }
  },
  sideEffects: true,
  describe: (step) => `run \`${firstLine(step.run)}\`${step.run.trim().includes('\n') ? ' …' : ''}`,
  // A short one-liner reads best inline; scripts, long lines and backticks need a code block.
  checklist: (step) => {
    const code = step.run.trim();
    const inline = !code.includes('\n') && !code.includes('`') && code.length <= INLINE_COMMAND_MAX;
    const accepted = step.ok_exit_codes ? ` (exit ${step.ok_exit_codes.join(' or ')} is ok)` : '';
    return inline ? { text: `run \`${code}\`${accepted}` } : { text: `run:${accepted}`, detail: { language: 'bash', code } };
  },

  async run(ctx) {
    const { step } = ctx;
    // Node reports a missing cwd as "spawn /bin/sh ENOENT", which points at the wrong thing.
    if (step.cwd && !existsSync(step.cwd)) throw new StepFailure(`could not start: the folder ${step.cwd} (cwd) does not exist`);
    const env = { ...ctx.env, ...step.env };
    const tooBig = oversizeProblem({ command: step.run, env, context: ctx.context });
    if (tooBig) throw new StepFailure(`could not start: ${tooBig}`);
    const result = await runProcess({
      file: INTERPRETERS[step.shell ?? 'sh'],
      args: ['-c', step.run],
      cwd: step.cwd,
      env,
      signal: ctx.signal,
      sudo: ctx.sudo,
      sudoEnv: Object.keys(step.env ?? {}),
      onLine: ctx.log,
    });
    const output = {
      stdout: result.stdout,
      stderr: result.stderr,
      exit_code: result.exitCode,
      lines: linesOf(result.stdout),
      json: parseJson(result.stdout),
    };
    if (result.aborted) throw new StepFailure('stopped: its processes were killed', output);
    if (result.startError) throw new StepFailure(`could not start: ${result.startError.endsWith('E2BIG') ? TOO_BIG_IN_ALL : result.startError}`, output);
    if (result.overflow) throw new StepFailure(`stopped: its output passed ${MAX_OUTPUT_BYTES / 2 ** 20} MiB`, output);
    const okCodes = step.ok_exit_codes ?? [0];
    if (result.exitCode === null || !okCodes.includes(result.exitCode)) {
      const why = result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
      const tail = result.stderr.trim().split('\n').slice(-TAIL_LINES).join(' | ');
      throw new StepFailure(`command failed (${why})${tail ? `: ${tail}` : ''}`, output);
    }
    return { output, value: result.stdout.trim() };
  },
};
