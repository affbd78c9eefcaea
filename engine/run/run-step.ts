import { errorMessage } from '../errors.js';
import type { Step } from '../playbook/types.generated.js';
import type { Redactor } from '../redact.js';
import { stepType } from '../steps/index.js';
import type { NestedRunRequest, NestedRunResult, PerfDatum, StepPorts, StepRunContext } from '../steps/types.js';
import type { TemplateContext } from '../template/context.js';
import { isTruthy, renderTemplate } from '../template/render.js';
import type { ShellPolicy } from '../template/shell/taint.js';
import { conditionWords, type WordsScope } from '../template/words.js';
import { executeStep } from './execute-step.js';
import { whenBlocks } from './gate.js';
import type { Reporter } from './progress/reporter.js';
import type { RunRecord, StepRecord } from './record.js';
import { renderStep } from './render-step.js';
import { stepPorts } from './step-ports.js';
import { stepState } from './step-state.js';

/** How a step skipped by its `if` says why: `only if “PM2 services” worked`. */
export const IF_SKIPPED = 'only if ';

/** What one step needs from the run around it. */
export interface StepScope {
  record: RunRecord;
  context: () => TemplateContext;
  /** Records a finished (or skipped) step: checkpoint, alerts, progress. */
  finish: (done: StepRecord) => Promise<void>;
  reporter: Reporter;
  redact: Redactor;
  env: Record<string, string | undefined>;
  interrupt: AbortSignal;
  yes: boolean;
  selected: boolean;
  unselectedReason: string;
  metricOverrides: Record<string, number>;
  stateDir: string;
  /** The playbook's last finished run, for steps that ask for it. */
  previous: RunRecord | undefined;
  /** What the playbook declares about its params and vars, for shell templates. */
  shellPolicy: ShellPolicy;
  /** To say in words why an `if` skipped a step. */
  words: WordsScope;
  perf: PerfDatum[];
  runNested: (request: NestedRunRequest, log: (line: string) => void) => Promise<NestedRunResult>;
  /** A dry run: returns a promise (the step described and finished) for a step it does not run. */
  preview?: (step: Step, context: TemplateContext) => Promise<void> | undefined;
}

/** `stop` ends the run here (approval missing, interrupted at a prompt). */
export type StepVerdict = 'next' | 'stop';

function approvalQuestion(step: Step): string {
  const text = typeof step.confirm === 'string' ? step.confirm : `Run "${step.name}"? ${stepType(step.type).describe(step)}`;
  return text.trim();
}

/** Asks for approval of a `confirm` step; undefined means the run must stop (and `record.stopped` says why). */
async function approve(step: Step, rendered: Step, scope: StepScope): Promise<boolean | undefined> {
  if (!step.confirm || scope.yes) return true;
  const prompter = scope.reporter.prompter;
  if (!prompter) {
    scope.record.stopped = `step \`${step.id ?? step.name}\` needs approval: rerun with --yes (or in a terminal) to approve`;
    return undefined;
  }
  try {
    return await prompter.confirm(approvalQuestion(rendered), scope.interrupt);
  } catch (error) {
    if (scope.interrupt.aborted) return undefined;
    throw error;
  }
}

/** Decides whether a step runs (selection, `when`, `if`, `confirm`) and runs it. */
export async function runStep(step: Step, index: number, scope: StepScope): Promise<StepVerdict> {
  const base = { id: step.id, name: step.name, type: step.type };
  const level = step.continue_on_error ? 'warn' : 'critical';
  const skip = async (why: string) => scope.finish({ ...base, status: 'skipped', level: 'ok', output: {}, duration_ms: 0, attempts: 0, skipped_because: why });

  if (!scope.selected) return skip(scope.unselectedReason).then(() => 'next');
  const blocked = whenBlocks(step.when, scope.record.steps);
  if (blocked) return skip(`${step.when ?? 'on-success'}: ${blocked}`).then(() => 'next');
  // The record does not change while one step is decided and run: one context serves it all.
  const context = scope.context();
  const described = scope.preview?.(step, context);
  if (described) return described.then(() => 'next');
  let rendered: Step;
  try {
    if (step.if !== undefined && !isTruthy(renderTemplate(step.if, context))) return skip(`${IF_SKIPPED}${conditionWords(step.if, scope.words)}`).then(() => 'next');
    rendered = renderStep(step, context, scope.shellPolicy);
  } catch (error) {
    await scope.finish({ ...base, status: 'failed', level, output: {}, error: `template: ${errorMessage(error)}`, duration_ms: 0, attempts: 0 });
    return 'next';
  }
  const approved = await approve(step, rendered, scope);
  if (approved === undefined) return skip(scope.interrupt.aborted ? 'interrupted at the approval prompt' : 'approval missing').then(() => 'stop');
  // A declined fix leaves the problem in place: the run must not read as resolved.
  if (!approved) {
    await scope.finish({ ...base, status: 'skipped', level: 'warn', output: {}, duration_ms: 0, attempts: 0, skipped_because: 'declined at the prompt', message: `declined at the prompt, not done: ${step.name}` });
    return 'next';
  }

  scope.reporter.stepStart({ index, name: step.name, type: step.type });
  const startedAt = Date.now();
  const type = stepType(step.type);
  // A step without its own timeout gets its type's default; the step sees the one in force.
  const timeout = step.timeout ?? type.defaultTimeout;
  const ctx: Omit<StepRunContext<unknown>, 'signal' | 'sudo'> & Partial<StepPorts> = {
    step: timeout === undefined ? rendered : { ...rendered, timeout },
    log: (line, stream = 'stdout') => scope.reporter.stepLine(scope.redact.text(line), stream),
    env: scope.env,
    context,
    render: (template, locals = {}) => renderTemplate(template, { ...context, ...locals }),
    redactor: scope.redact,
    metricOverrides: scope.metricOverrides,
    prompter: scope.reporter.prompter,
    runPlaybook: (request) => scope.runNested(request, ctx.log),
    state: stepState({ stateDir: scope.stateDir, playbook: scope.record.playbook, step, readOnly: scope.preview !== undefined }),
    ...stepPorts({ names: type.ports, previous: scope.previous }),
  };
  const attempted = await executeStep({
    type, ctx, timeout, retries: step.retries, retryDelay: step.retry_delay, sudo: step.sudo, interrupt: scope.interrupt,
  });
  const common = { ...base, started_at: new Date(startedAt).toISOString(), duration_ms: Date.now() - startedAt, attempts: attempted.attempts };
  const outcome = attempted.outcome;
  if (!outcome) {
    await scope.finish({ ...common, status: 'failed', level, output: attempted.output, error: attempted.error });
    return 'next';
  }
  scope.perf.push(...(outcome.perf ?? []));
  await scope.finish({
    ...common,
    status: outcome.status ?? outcome.level ?? 'ok',
    level: outcome.level ?? 'ok',
    value: outcome.value,
    output: outcome.output,
    message: outcome.message,
    ...(outcome.simulated ? { simulated: true } : {}),
  });
  return 'next';
}
