import path from 'node:path';
import { errorMessage, RunbookError } from '../errors.js';
import { hostName } from '../host.js';
import { loadPlaybook, type LoadedPlaybook } from '../playbook/load.js';
import type { Redactor } from '../redact.js';
import { watchGroups } from '../steps/support/process-groups.js';
import type { NestedRunRequest, NestedRunResult, PerfDatum } from '../steps/types.js';
import { renderTemplate } from '../template/render.js';
import { shellPolicy } from '../template/shell/taint.js';
import { wordsScope } from '../template/words.js';
import { boundForRecord } from './bound.js';
import { alertsOf, templateContext } from './context.js';
import { resolveInputs, type RunInputs } from './inputs.js';
import { PlaybookLock } from './lock.js';
import { plainReporter } from './progress/plain.js';
import type { Reporter } from './progress/reporter.js';
import { EXIT_CODES, newRunId, runStatusOf, type RunRecord, type StepRecord } from './record.js';
import { writeReport } from './report.js';
import { refuseClimbingReportPath, renderReportPath, reportDir } from './report-path.js';
import { runStep, type StepScope } from './run-step.js';
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
  /** Aborted on SIGINT/SIGTERM/SIGHUP: the running step's processes are killed and the run stops. */
  interrupt: AbortSignal;
  processEnv?: NodeJS.ProcessEnv;
  /** The env file's settings, for the playbook's declared env names. */
  settings?: Record<string, string>;
  parentRunId?: string;
  /** A calling run's redactor: its secrets stay masked in this (nested) run too. */
  redactor?: Redactor;
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

/** Runs a loaded playbook from start to end; the record is saved after every step. */
export async function runPlaybook(playbook: LoadedPlaybook, opts: RunOptions): Promise<RunResult> {
  const processEnv = opts.processEnv ?? process.env;
  const reports = reportDir(processEnv, opts.store.dir);
  const inputs: RunInputs = resolveInputs({ playbook: playbook.data, params: opts.params ?? {}, vars: opts.vars ?? {}, processEnv, settings: opts.settings, inherited: opts.redactor });
  const selection = selectSteps(playbook.data.steps, opts);
  const redact = inputs.redactor;
  const started = new Date();
  const record: RunRecord = {
    format: 1,
    playbook: playbook.name,
    title: playbook.data.title,
    run_id: newRunId(started),
    host: hostName(processEnv),
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
  if (playbook.data.report) {
    const context = templateContext({ playbook, inputs, record, previous: undefined, carried: [] });
    refuseClimbingReportPath({ template: playbook.data.report.path, context, redact: (text) => redact.text(text) });
  }
  const lock = new PlaybookLock(opts.store.dir, playbook.name);
  const takeover = await lock.acquire({ run_id: record.run_id, started_at: record.started_at });
  const unwatch = watchGroups((pgid, running) => lock.recordGroup(pgid, running));
  const perf: PerfDatum[] = [];
  try {
    opts.store.closeAbandoned(playbook.name, started);
    const previous = opts.store.lastFinished(playbook.name);
    const carried = selection.carried(opts.store.finishedNewestFirst(playbook.name));
    const context = () => templateContext({ playbook, inputs, record, previous, carried });
    // Each step is redacted once, when it ends; the record is rebuilt from those for every save.
    const redactedSteps: StepRecord[] = [];
    const redacted = (): RunRecord => ({ ...redact.deep({ ...record, steps: [] }), steps: [...redactedSteps] });
    saveFirst(opts.store, redacted());
    opts.reporter.runStart(redacted());
    for (const note of takeover) opts.reporter.note(note);
    const render = (template: string) => renderTemplate(template, context());
    await notifyObservers(opts, redact, (observer) => observer.started?.({ record: redacted(), render }));

    const scope: StepScope = {
      record,
      context,
      finish: async (done) => {
        record.steps.push(done);
        record.alerts = alertsOf(record.steps);
        redactedSteps.push(boundForRecord(redact.deep(done)));
        const step = redactedSteps[redactedSteps.length - 1]!;
        try {
          opts.store.appendStep(record, step);
        } finally {
          await opts.reporter.stepEnd(step); // shown even when the disk is full: the run then stops
        }
      },
      reporter: opts.reporter,
      redact,
      // Shell steps find the reports where runs write them (the monthly review reads them).
      env: { ...processEnv, RUNBOOK_REPORT_DIR: reports, ...inputs.env },
      interrupt: opts.interrupt,
      yes: opts.yes ?? false,
      selected: false,
      unselectedReason: selection.reason,
      metricOverrides: opts.metricOverrides ?? {},
      stateDir: opts.store.dir,
      previous,
      shellPolicy: shellPolicy(playbook.data),
      words: wordsScope(playbook.data),
      perf,
      runNested: (request, log) => runNested(request, { ...opts, parentRunId: record.run_id, redactor: redact }, log),
    };
    try {
      for (const [index, step] of playbook.data.steps.entries()) {
        if (opts.interrupt.aborted) break;
        if ((await runStep(step, index, { ...scope, selected: selection.selected(index) })) === 'stop') break;
      }
    } catch (error) {
      // A bug or a full disk must not lose the record: the run ends UNKNOWN, saying why.
      record.stopped = `runbook failed: ${errorMessage(error)}`;
    }

    if (opts.interrupt.aborted) record.stopped = `interrupted by ${String(opts.interrupt.reason ?? 'a signal')}`;
    const finished = new Date();
    record.status = runStatusOf(record.steps, record.stopped !== undefined);
    record.exit_code = EXIT_CODES[record.status];
    record.finished_at = finished.toISOString();
    record.duration_ms = finished.getTime() - started.getTime();
    record.alerts = alertsOf(record.steps);
    record.summary = summaryLine(redacted(), perf);
    writeRunReport({ playbook, record: redacted(), context: context(), reporter: opts.reporter, redact, dir: reports });
    const final = saveLast(opts.store, redacted(), perf);
    await notifyObservers(opts, redact, (observer) => observer.finished?.({ record: final, perf, render }));
    await opts.reporter.runEnd(final);
    return { record: final, perf };
  } finally {
    unwatch();
    lock.release();
  }
}

/** The running record: if it cannot be written, nothing of the run may stay behind. */
function saveFirst(store: RunStore, record: RunRecord): void {
  try {
    store.save(record);
  } catch (error) {
    store.forget(record);
    throw error;
  }
}

/**
 * The finished record. When it cannot be written (the disk filled up during the run), the run
 * ends UNKNOWN saying so, and its running record is closed in place, so that the next run does
 * not take it for one that was killed.
 */
function saveLast(store: RunStore, record: RunRecord, perf: PerfDatum[]): RunRecord {
  try {
    store.save(record);
    return record;
  } catch (error) {
    const stopped = record.stopped ?? `runbook failed: ${errorMessage(error)}`;
    const closed: RunRecord = { ...record, status: 'UNKNOWN', exit_code: EXIT_CODES.UNKNOWN, stopped };
    closed.summary = summaryLine(closed, perf);
    store.closeInPlace(closed);
    return closed;
  }
}

async function notifyObservers(opts: RunOptions, redact: Redactor, call: (observer: RunObserver) => Promise<void> | undefined): Promise<void> {
  for (const observer of opts.observers ?? []) {
    try {
      await call(observer);
    } catch (error) {
      opts.reporter.note(opts.interrupt.aborted ? 'observer skipped: interrupted' : redact.text(`note: ${errorMessage(error)}`));
    }
  }
}

function writeRunReport(opts: { playbook: LoadedPlaybook; record: RunRecord; context: object; reporter: Reporter; redact: Redactor; dir: string }): void {
  const { playbook, record, context, reporter, redact } = opts;
  const report = playbook.data.report;
  if (!report) return;
  try {
    const file = path.resolve(opts.dir, renderReportPath(report.path, context));
    writeReport(record, file, report.format);
    reporter.note(redact.text(`report: ${file}`));
  } catch (error) {
    reporter.note(redact.text(`report not written: ${errorMessage(error)}`));
  }
}

/** A `playbook` step: the called playbook runs with its own lock and record, its lines under the step. */
async function runNested(request: NestedRunRequest, opts: RunOptions, log: (line: string) => void): Promise<NestedRunResult> {
  try {
    const child = await loadPlaybook(request.name, opts.dirs);
    // The calling step's signal is the called run's interrupt: the step's timeout stops it too.
    const { record } = await runPlaybook(child, {
      ...opts, params: request.params, vars: {}, only: undefined, from: undefined, reporter: plainReporter({ write: log }), interrupt: request.signal, observers: [],
    });
    return { run_id: record.run_id, status: record.status as NestedRunResult['status'], summary: record.summary, steps: record.steps };
  } catch (error) {
    if (error instanceof RunbookError) return { run_id: '', status: 'UNKNOWN', summary: error.message, steps: [] };
    throw error;
  }
}
