import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { loadPlaybook, type LoadedPlaybook } from '../playbook/load.js';
import type { Step } from '../playbook/types.generated.js';
import { stepType } from '../steps/index.js';
import { hasSideEffects } from '../steps/side-effects.js';
import type { NestedRunRequest, NestedRunResult, StepStatus } from '../steps/types.js';
import type { TemplateContext } from '../template/context.js';
import { isTruthy, renderTemplate } from '../template/render.js';
import { shellPolicy } from '../template/shell/taint.js';
import { wordsScope } from '../template/words.js';
import { alertsOf, templateContext } from './context.js';
import { placeholder, shownContext, stepFlags, stepLine, stepsRead, unsetNote } from './dry-view.js';
import { hostName } from '../host.js';
import { resolveInputs } from './inputs.js';
import { reportDir } from './report-path.js';
import { silentReporter, type Reporter } from './progress/reporter.js';
import { runStatusOf, type RunRecord, type RunStatus, type StepRecord } from './record.js';
import { renderStep } from './render-step.js';
import { IF_SKIPPED, runStep, type StepScope } from './run-step.js';
import type { RunStore } from './store.js';
import { summaryLine } from './summary.js';

/** One step of a dry run: what it would do, and what it found when it could safely run. */
export interface DryRunStep {
  index: number;
  name: string;
  type: string;
  flags: string[];
  would: string;
  /** `described` for a step with side effects (not run); otherwise what it really found. */
  status: StepStatus | 'described';
  message?: string;
  /** The dry run of the playbook a `playbook` step calls. */
  calls?: DryRunPlan;
}

/** What a dry run would do, for `--dry-run --json`. */
export interface DryRunPlan {
  playbook: string;
  dry_run: true;
  /** The run's result from the steps that ran (described steps count as OK). */
  status: RunStatus;
  summary: string;
  steps: DryRunStep[];
  report: string | null;
}

export interface DryRunOptions {
  params: Record<string, string>;
  vars: Record<string, string>;
  reporter: Reporter;
  store: RunStore;
  dirs: string[];
  interrupt: AbortSignal;
  metricOverrides?: Record<string, number>;
  processEnv?: NodeJS.ProcessEnv;
  settings?: Record<string, string>;
}

/**
 * A dry run: steps without side effects (readings, assertions, `pm2 list`, read-only SQL, GET
 * checks) really run, so conditions and templates see real values; a step that changes the
 * machine, asks for approval or reads such a step's result is only described. Takes no lock,
 * records nothing, and gives steps a scratch copy of their saved state (a log scan's offsets).
 */
export async function dryRun(playbook: LoadedPlaybook, opts: DryRunOptions): Promise<DryRunPlan> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'runbook-dry-run-'));
  try {
    const skip = new Set(['runs', 'locks'].map((name) => path.join(opts.store.dir, name)));
    if (existsSync(opts.store.dir)) cpSync(opts.store.dir, scratch, { recursive: true, filter: (source) => !skip.has(source) });
    return await dryRunIn(playbook, opts, scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function dryRunIn(playbook: LoadedPlaybook, opts: DryRunOptions, stateDir: string): Promise<DryRunPlan> {
  const processEnv = opts.processEnv ?? process.env;
  const inputs = resolveInputs({ playbook: playbook.data, params: opts.params, vars: opts.vars, processEnv, settings: opts.settings });
  const record: RunRecord = {
    format: 1, playbook: playbook.name, title: playbook.data.title, run_id: '<run id>', host: hostName(processEnv), pid: process.pid,
    status: 'RUNNING', exit_code: null, started_at: new Date().toISOString(), finished_at: null, duration_ms: 0, summary: '',
    alerts: [], simulated: Object.keys(opts.metricOverrides ?? {}), params: inputs.params, steps: [],
  };
  const previous = opts.store.lastFinished(playbook.name);
  // The same context a real run builds; steps only described show their outputs as placeholders.
  const context = () => templateContext({ playbook, inputs, record, previous, carried: [] });
  const redact = (text: string) => inputs.redactor.text(text);
  const say = (text: string) => opts.reporter.note(redact(text));
  const plan: DryRunStep[] = [];
  const policy = shellPolicy(playbook.data);
  const unknown = new Set<string>();
  let current: { index: number; step: Step; ifShown?: string; why?: string; nested?: { plan: DryRunPlan; lines: string[] } } | undefined;

  // A step that reads one that was skipped or failed shows those results as placeholders too.
  const describe = (step: Step, shown: TemplateContext): string => {
    for (const steps of [shown.steps, placeholder('steps') as TemplateContext['steps']]) {
      try {
        return stepType(step.type).describe(renderStep(step, { ...shown, steps }, policy));
      } catch (error) {
        if (steps !== shown.steps) return `${stepType(step.type).describe(step)} (template not renderable: ${(error as Error).message.split('\n')[0]})`;
      }
    }
    return stepType(step.type).describe(step);
  };
  const finish = async (done: StepRecord, described = false) => {
    const { index, step, nested } = current!;
    const now = context();
    const words = describe(step, shownContext(now, playbook.data));
    const would = redact(words + unsetNote(step, now, words) + (current!.why ?? ''));
    // Shown for a step whose `when` kept it from being decided too: what its condition reads now.
    const ifValue = () => (step.if === undefined ? '' : done.skipped_because?.startsWith(IF_SKIPPED) ? 'false' : String(isTruthy(renderSafely(step.if, now))));
    record.steps.push(done);
    record.alerts = alertsOf(record.steps);
    const flags = stepFlags(step, current!.ifShown ?? ifValue()).map(redact);
    const status = described ? 'described' : done.status;
    const message = done.error ?? done.message;
    plan.push({ index, name: step.name, type: step.type, flags, would, status, ...(message ? { message: redact(message) } : {}), ...(nested ? { calls: nested.plan } : {}) });
    say(`${index + 1}. ${step.name}${flags.length ? ` [${flags.join(', ')}]` : ''}: ${stepLine({ done, described, would })}`);
    nested?.lines.forEach((line) => opts.reporter.note(`   ${line}`));
  };

  const scope: StepScope = {
    record, context, finish: (done) => finish(done),
    reporter: silentReporter, redact: inputs.redactor, env: { ...processEnv, ...inputs.env }, interrupt: opts.interrupt,
    yes: false, selected: true, unselectedReason: '', metricOverrides: opts.metricOverrides ?? {}, stateDir, previous, shellPolicy: policy, words: wordsScope(playbook.data), perf: [],
    runNested: (request) => nestedDryRun(request, opts, stateDir).then((nested) => {
      current!.nested = nested;
      return { run_id: record.run_id, status: nested.plan.status, summary: nested.plan.summary, steps: [] } satisfies NestedRunResult;
    }),
    preview: (step, now) => {
      const reads = [...stepsRead(step)].filter((id) => unknown.has(id));
      if (!hasSideEffects(step) && !step.confirm && !reads.length) return undefined;
      if (!hasSideEffects(step) && !step.confirm) current!.why = ` (not run: it reads ${reads.map((id) => `steps.${id}`).join(', ')}, which a dry run only describes)`;
      const taken = step.if === undefined ? true : reads.length ? undefined : isTruthy(renderSafely(step.if, now));
      current!.ifShown = taken === undefined ? `if unknown: reads ${reads.map((id) => `steps.${id}`).join(', ')}` : String(taken);
      if (taken === false) return finish({ ...base(step), status: 'skipped', skipped_because: 'if false' });
      if (step.id) unknown.add(step.id);
      const id = step.id ?? '';
      return finish({ ...base(step), status: 'skipped', value: placeholder(`steps.${id}.value`), output: placeholder(`steps.${id}.output`) as Record<string, unknown> }, true);
    },
  };
  say(`dry run of ${playbook.name}: ${playbook.data.title} (steps without side effects run; the others are only described; nothing is changed)`);
  for (const [index, step] of playbook.data.steps.entries()) {
    if (opts.interrupt.aborted) break;
    current = { index, step };
    await runStep(step, index, scope);
  }
  record.status = runStatusOf(record.steps, opts.interrupt.aborted);
  const summary = redact(summaryLine(record, []));
  // A relative report path lands where a real run puts it (RUNBOOK_REPORT_DIR, else the state dir's reports).
  const report = playbook.data.report
    ? redact(path.resolve(reportDir(processEnv, opts.store.dir), renderSafely(playbook.data.report.path, shownContext(context(), playbook.data))))
    : null;
  if (report) say(`report: would write ${report}`);
  say(`dry run result: ${summary}`);
  return { playbook: playbook.name, dry_run: true, status: record.status, summary, steps: plan, report };
}

function base(step: Step): StepRecord {
  return { id: step.id, name: step.name, type: step.type, status: 'ok', level: 'ok', output: {}, duration_ms: 0, attempts: 0 };
}

/** A `playbook` step in a dry run: the called playbook is dry-run too, its lines kept for under the step. */
async function nestedDryRun(request: NestedRunRequest, opts: DryRunOptions, stateDir: string): Promise<{ plan: DryRunPlan; lines: string[] }> {
  const lines: string[] = [];
  const reporter: Reporter = { ...silentReporter, note: (text) => lines.push(text) };
  try {
    const child = await loadPlaybook(request.name, opts.dirs);
    const plan = await dryRunIn(child, { ...opts, params: request.params, vars: {}, reporter, interrupt: request.signal }, stateDir);
    return { plan, lines };
  } catch (error) {
    if (!(error instanceof RunbookError)) throw error;
    const plan: DryRunPlan = { playbook: request.name, dry_run: true, status: 'UNKNOWN', summary: error.message, steps: [], report: null };
    return { plan, lines: [`${request.name} could not run: ${error.message}`] };
  }
}

function renderSafely(template: string, context: object): string {
  try {
    return renderTemplate(template, context);
  } catch {
    return template;
  }
}
