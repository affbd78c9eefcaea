import type { LoadedPlaybook } from '../playbook/load.js';
import { stepType } from '../steps/index.js';
import { renderTemplate } from '../template/render.js';
import { MASK } from '../redact.js';
import { resolveInputs } from './inputs.js';
import type { Reporter } from './progress/reporter.js';
import { renderStep } from './render-step.js';

/**
 * Outputs of steps that have not run are unknown in a dry run: any path below `steps` reads as
 * a placeholder showing the expression (`<steps.disk.output.row.size>`), however deep it goes.
 */
function placeholder(path: string): object {
  const text = `<${path}>`;
  return new Proxy({}, {
    get: (_, key) => (key === Symbol.toPrimitive || key === 'toString' ? () => text : typeof key === 'string' ? placeholder(`${path}.${key}`) : undefined),
    has: () => true,
    // Handlebars only reads own properties (prototype access control).
    getOwnPropertyDescriptor: (_, key) => ({ configurable: true, enumerable: true, value: typeof key === 'string' ? placeholder(`${path}.${key}`) : undefined }),
  });
}

/** What a dry run would do, for `--dry-run --json`. */
export interface DryRunPlan {
  playbook: string;
  dry_run: true;
  steps: { index: number; name: string; type: string; flags: string[]; would: string }[];
  report: string | null;
}

/** Renders every step and says what it would do; touches nothing, takes no lock, records nothing. */
export function dryRun(playbook: LoadedPlaybook, opts: { params: Record<string, string>; vars: Record<string, string>; reporter: Reporter; processEnv?: NodeJS.ProcessEnv; settings?: Record<string, string> }): DryRunPlan {
  const inputs = resolveInputs({ playbook: playbook.data, params: opts.params, vars: opts.vars, processEnv: opts.processEnv ?? process.env, settings: opts.settings });
  const now = new Date().toISOString();
  // Secrets show as *** in the plan: once quoted for a shell, a value no longer matches the redactor.
  const secretEnv = Object.entries(playbook.data.env ?? {}).filter(([, spec]) => spec.secret).map(([name]) => name);
  const env = { ...inputs.env, ...Object.fromEntries(secretEnv.filter((name) => inputs.env[name]).map((name) => [name, MASK])) };
  const context = {
    params: inputs.params, vars: inputs.vars, env, steps: placeholder('steps'), previous: null,
    run: { id: '<run id>', started_at: now, status: 'RUNNING', alerts: [] },
    playbook: { name: playbook.name, title: playbook.data.title }, host: { hostname: '<host>' },
  };
  const redact = (text: string) => inputs.redactor.text(text);
  const steps = playbook.data.steps.map((step, index) => {
    const type = stepType(step.type);
    const flags = [
      step.when && step.when !== 'on-success' ? `when ${step.when}` : '',
      step.if ? `if ${renderSafely(step.if, context)}` : '',
      step.confirm ? 'needs approval' : '',
      step.sudo ? 'as root' : '',
      step.timeout ? `timeout ${step.timeout}` : '',
    ].filter(Boolean).map(redact);
    let would: string;
    try {
      would = type.describe(renderStep(step, context));
    } catch (error) {
      would = `${type.describe(step)} (template not renderable yet: ${(error as Error).message.split('\n')[0]})`;
    }
    return { index, name: step.name, type: step.type, flags, would: redact(would) };
  });
  const report = playbook.data.report ? redact(renderSafely(playbook.data.report.path, context)) : null;

  opts.reporter.note(`dry run of ${playbook.name}: ${playbook.data.title} (nothing is executed)`);
  for (const step of steps) {
    opts.reporter.note(`${step.index + 1}. ${step.name}${step.flags.length ? ` [${step.flags.join(', ')}]` : ''}: would ${step.would}`);
  }
  if (report) opts.reporter.note(`report: would write ${report}`);
  return { playbook: playbook.name, dry_run: true, steps, report };
}

function renderSafely(template: string, context: object): string {
  try {
    return renderTemplate(template, context);
  } catch {
    return template;
  }
}
