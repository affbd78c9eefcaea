import type { LoadedPlaybook } from '../playbook/load.js';
import { stepType } from '../steps/index.js';
import { renderTemplate } from '../template/render.js';
import { resolveInputs } from './inputs.js';
import type { Reporter } from './progress/reporter.js';
import { renderStep } from './render-step.js';

// Outputs of steps that have not run are unknown in a dry run: show the expression instead.
const UNKNOWN_STEPS = new Proxy({}, {
  get: (_, id) => (typeof id === 'string' ? { output: new Proxy({}, { get: (__, key) => `<steps.${id}.output.${String(key)}>`, has: () => true }), status: `<steps.${id}.status>`, value: `<steps.${id}.value>`, level: `<steps.${id}.level>` } : undefined),
  has: () => true,
});

/** Renders every step and says what it would do; touches nothing, takes no lock, records nothing. */
export function dryRun(playbook: LoadedPlaybook, opts: { params: Record<string, string>; vars: Record<string, string>; reporter: Reporter; processEnv?: NodeJS.ProcessEnv }): void {
  const inputs = resolveInputs({ playbook: playbook.data, params: opts.params, vars: opts.vars, processEnv: opts.processEnv ?? process.env });
  const now = new Date().toISOString();
  const context = {
    params: inputs.params, vars: inputs.vars, env: inputs.env, steps: UNKNOWN_STEPS, previous: null,
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
