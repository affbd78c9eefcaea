import os from 'node:os';
import { errorMessage, RunbookError } from '../errors.js';
import { loadPlaybook, type LoadedPlaybook } from '../playbook/load.js';
import type { Step } from '../playbook/types.generated.js';
import { stepType } from '../steps/index.js';
import type { NestedRunResult, PerfDatum, StepRunContext } from '../steps/types.js';
import { isTruthy, renderTemplate } from '../template/render.js';
import { alertsOf, templateContext } from './context.js';
import { executeStep } from './execute-step.js';
import { whenBlocks } from './gate.js';
import { resolveInputs, type RunInputs } from './inputs.js';
import { PlaybookLock } from './lock.js';
import { renderStep } from './render-step.js';
import { plainReporter } from './progress/plain.js';
import type { Reporter } from './progress/reporter.js';
import { EXIT_CODES, newRunId, runStatusOf, type RunRecord, type StepRecord } from './record.js';
import { writeReport } from './report.js';
import { selectSteps } from './select.js';
import type { RunStore } from './store.js';
import { summaryLine } from './summary.js';

export interface RunOptions {
  params?: Record<string, string>;
  vars?: Record<string, string>;
  /** Approves every `confirm` step (unattended runs). */
  yes?: boolean;
  metricOverrides?: Record<string, number>;
  only?: string;
  from?: string;
  reporter: Reporter;
  store: RunStore;
  dirs: string[];
  /** Aborted on SIGINT/SIGTERM: the running step's processes are killed and the run stops. */
  interrupt: AbortSignal;
  processEnv?: NodeJS.ProcessEnv;
  parentRunId?: string;
  /** Told when the run starts and ends (heartbeat pings, metrics files); their errors never fail a run. */
  observers?: RunObserver[];
}

/** Something that watches runs from outside: given the (redacted) record and a template renderer. */
export interface RunObserver {
  started?(run: { record: RunRecord; render: (template: string) => string }): Promise<void>;
  finished?(run: { record: RunRecord; perf: PerfDatum[]; render: (template: string) => string }): Promise<void>;
}

export interface RunResult {
  record: RunRecord;
  perf: PerfDatum[];
}

function approvalQuestion(step: Step): string {
  const text = typeof step.confirm === 'string' ? step.confirm : `Run "${step.name}"? ${stepType(step.type).describe(step)}`;
  return text.trim();
}

/** Runs a loaded playbook from start to end; the record is saved after every step. */
export async function runPlaybook(playbook: LoadedPlaybook, opts: RunOptions): Promise<RunResult> {
  const processEnv = opts.processEnv ?? process.env;
  const inputs: RunInputs = resolveInputs({ playbook: playbook.data, params: opts.params ?? {}, vars: opts.vars ?? {}, processEnv });
  const selection = selectSteps(playbook.data.steps, opts);
  const redact = inputs.redactor;
  const started = new Date();
  const record: RunRecord = {
    format: 1,
    playbook: playbook.name,
    title: playbook.data.title,
    run_id: newRunId(started),
    host: os.hostname(),
    pid: process.pid,
    status: 'RUNNING',
    exit_code: null,
    started_at: started.toISOString(),
    finished_at: null,
    duration_ms: 0,
    summary: '',
    alerts: [],
    simulated: Object.keys(opts.metricOverrides ?? {}),
    params: redact.deep(inputs.params),
    ...(opts.parentRunId ? { parent_run_id: opts.parentRunId } : {}),
    steps: [],
  };
  const lock = new PlaybookLock(opts.store.dir, playbook.name);
  lock.acquire({ run_id: record.run_id, started_at: record.started_at });
  const perf: PerfDatum[] = [];
  try {
    const previous = opts.store.lastFinished(playbook.name);
    const carried = selection.carried(opts.store.finishedNewestFirst(playbook.name));
    const context = () => templateContext({ playbook, inputs, record, previous, carried });
    // Each step is redacted once, when it ends; the record is rebuilt from those for every save.
    const redactedSteps: StepRecord[] = [];
    const redacted = (): RunRecord => ({ ...redact.deep({ ...record, steps: [] }), steps: [...redactedSteps] });
    opts.store.save(redacted());
    opts.reporter.runStart(redacted());
    const render = (template: string) => renderTemplate(template, context());
    await notifyObservers(opts, (observer) => observer.started?.({ record: redacted(), render }));

    for (const [index, step] of playbook.data.steps.entries()) {
      if (opts.interrupt.aborted) break;
      const base = { id: step.id, name: step.name, type: step.type };
      const finish = async (done: StepRecord) => {
        record.steps.push(done);
        record.alerts = alertsOf(record.steps);
        redactedSteps.push(redact.deep(done));
        opts.store.checkpoint(redacted());
        await opts.reporter.stepEnd(redactedSteps[redactedSteps.length - 1]!);
      };
      const skip = (why: string) => finish({ ...base, status: 'skipped', level: 'ok', output: {}, duration_ms: 0, attempts: 0, skipped_because: why });
      const fail = (error: string) => finish({ ...base, status: 'failed', level: step.continue_on_error ? 'warn' : 'critical', output: {}, error, duration_ms: 0, attempts: 0 });

      if (!selection.selected(index)) {
        await skip(selection.reason);
        continue;
      }
      const blocked = whenBlocks(step.when, record.steps);
      if (blocked) {
        await skip(`${step.when ?? 'on-success'}: ${blocked}`);
        continue;
      }
      let rendered: Step;
      try {
        if (step.if !== undefined && !isTruthy(renderTemplate(step.if, context()))) {
          await skip(`if: ${step.if}`);
          continue;
        }
        rendered = renderStep(step, context());
      } catch (error) {
        await fail(`template: ${errorMessage(error)}`);
        continue;
      }
      if (step.confirm && !opts.yes) {
        if (!opts.reporter.prompter) {
          record.stopped = `step \`${step.id ?? step.name}\` needs approval: rerun with --yes (or in a terminal) to approve`;
          await skip('approval missing');
          break;
        }
        if (!(await opts.reporter.prompter.confirm(approvalQuestion(rendered)))) {
          await skip('not approved at the prompt');
          continue;
        }
      }

      const type = stepType(step.type);
      opts.reporter.stepStart({ index, name: step.name, type: step.type });
      const startedAt = Date.now();
      const ctx: Omit<StepRunContext<unknown>, 'signal' | 'sudo'> = {
        step: rendered,
        log: (line, stream = 'stdout') => opts.reporter.stepLine(redact.text(line), stream),
        env: { ...processEnv, ...inputs.env },
        context: context(),
        render: (template, locals = {}) => renderTemplate(template, { ...context(), ...locals }),
        redactor: redact,
        metricOverrides: opts.metricOverrides ?? {},
        prompter: opts.reporter.prompter,
        runPlaybook: (request) => runNested(request, { ...opts, parentRunId: record.run_id }, ctx.log),
        stateDir: opts.store.dir,
      };
      const attempted = await executeStep({
        type, ctx, timeout: step.timeout, retries: step.retries, retryDelay: step.retry_delay, sudo: step.sudo, interrupt: opts.interrupt,
      });
      const common = { ...base, started_at: new Date(startedAt).toISOString(), duration_ms: Date.now() - startedAt, attempts: attempted.attempts };
      const outcome = attempted.outcome;
      if (outcome) {
        perf.push(...(outcome.perf ?? []));
        await finish({
          ...common,
          status: outcome.status ?? outcome.level ?? 'ok',
          level: outcome.level ?? 'ok',
          value: outcome.value,
          output: outcome.output,
          message: outcome.message,
          ...(outcome.simulated ? { simulated: true } : {}),
        });
      } else {
        await finish({ ...common, status: 'failed', level: step.continue_on_error ? 'warn' : 'critical', output: attempted.output, error: attempted.error });
      }
    }

    if (opts.interrupt.aborted) record.stopped = `interrupted by ${String(opts.interrupt.reason ?? 'a signal')}`;
    const finished = new Date();
    record.status = runStatusOf(record.steps, record.stopped !== undefined);
    record.exit_code = EXIT_CODES[record.status];
    record.finished_at = finished.toISOString();
    record.duration_ms = finished.getTime() - started.getTime();
    record.alerts = alertsOf(record.steps);
    record.summary = summaryLine(redacted(), perf);
    const final = redacted();
    writeRunReport(playbook, final, context(), opts.reporter);
    opts.store.save(final);
    await notifyObservers(opts, (observer) => observer.finished?.({ record: final, perf, render }));
    await opts.reporter.runEnd(final);
    return { record: final, perf };
  } finally {
    lock.release();
  }
}

async function notifyObservers(opts: RunOptions, call: (observer: RunObserver) => Promise<void> | undefined): Promise<void> {
  for (const observer of opts.observers ?? []) {
    try {
      await call(observer);
    } catch (error) {
      opts.reporter.note(opts.interrupt.aborted ? 'observer skipped: interrupted' : `note: ${errorMessage(error)}`);
    }
  }
}

function writeRunReport(playbook: LoadedPlaybook, record: RunRecord, context: object, reporter: Reporter): void {
  const report = playbook.data.report;
  if (!report) return;
  try {
    const file = renderTemplate(report.path, context);
    writeReport(record, file, report.format);
    reporter.note(`report: ${file}`);
  } catch (error) {
    reporter.note(`report not written: ${errorMessage(error)}`);
  }
}

/** A `playbook` step: the called playbook runs with its own lock and record, its lines under the step. */
async function runNested(
  request: { name: string; params: Record<string, string> },
  opts: RunOptions,
  log: (line: string) => void,
): Promise<NestedRunResult> {
  try {
    const child = await loadPlaybook(request.name, opts.dirs);
    const { record } = await runPlaybook(child, { ...opts, params: request.params, vars: {}, only: undefined, from: undefined, reporter: plainReporter({ write: log }) });
    return { run_id: record.run_id, status: record.status as NestedRunResult['status'], summary: record.summary, steps: record.steps };
  } catch (error) {
    if (error instanceof RunbookError) return { run_id: '', status: 'UNKNOWN', summary: error.message, steps: [] };
    throw error;
  }
}
