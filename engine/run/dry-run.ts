import type { LoadedPlaybook } from '../playbook/load.js';
import { stepType } from '../steps/index.js';
import { renderTemplate } from '../template/render.js';
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

/** Renders every step and says what it would do; touches nothing, takes no lock, records nothing. */
export function dryRun(playbook: LoadedPlaybook, opts: { params: Record<string, string>; vars: Record<string, string>; reporter: Reporter; processEnv?: NodeJS.ProcessEnv }): void {
  const inputs = resolveInputs({ playbook: playbook.data, params: opts.params, vars: opts.vars, processEnv: opts.processEnv ?? process.env });
  const now = new Date().toISOString();
  const context = {
    params: inputs.params, vars: inputs.vars, env: inputs.env, steps: placeholder('steps'), previous: null,
    run: { id: '<run id>', started_at: now, status: 'RUNNING', alerts: [] },
    playbook: { name: playbook.name, title: playbook.data.title }, host: { hostname: '<host>' },
  };
  const say = (text: string) => opts.reporter.note(inputs.redactor.text(text));
  say(`dry run of ${playbook.name}: ${playbook.data.title} (nothing is executed)`);
  playbook.data.steps.forEach((step, index) => {
    const type = stepType(step.type);
    const flags = [
      step.when && step.when !== 'on-success' ? `when ${step.when}` : '',
      step.if ? `if ${renderSafely(step.if, context)}` : '',
      step.confirm ? 'needs approval' : '',
      step.sudo ? 'as root' : '',
      step.timeout ? `timeout ${step.timeout}` : '',
    ].filter(Boolean);
    let description: string;
    try {
      description = type.describe(renderStep(step, context));
    } catch (error) {
      description = `${type.describe(step)} (template not renderable yet: ${(error as Error).message.split('\n')[0]})`;
    }
    say(`${index + 1}. ${step.name}${flags.length ? ` [${flags.join(', ')}]` : ''}: would ${description}`);
  });
  if (playbook.data.report) say(`report: would write ${renderSafely(playbook.data.report.path, context)}`);
}

function renderSafely(template: string, context: object): string {
  try {
    return renderTemplate(template, context);
  } catch {
    return template;
  }
}
