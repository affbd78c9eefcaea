import type { Redactor } from '../redact.js';
import type { TemplateContext } from '../template/context.js';

/** How an assertion (or any step) judged what it found. */
export type Level = 'ok' | 'warn' | 'critical';

/**
 * A step's recorded status. `failed` means the step could not do its work (it threw);
 * `warn`/`critical` mean it worked and found something; `pending` is a manual task nobody did.
 */
export type StepStatus = Level | 'failed' | 'skipped' | 'pending';

/** A reading in the Nagios perfdata / Prometheus sense, for the summary line and metrics file. */
export interface PerfDatum {
  label: string;
  value: number;
  unit?: string;
  warn?: number;
  critical?: number;
}

/** What a step type's `run` returns. Throwing instead means the step failed. */
export interface StepOutcome {
  /** Defaults to `ok`. */
  level?: Level;
  /** A manual task left undone, or a step that decided it had nothing to do. */
  status?: 'pending' | 'skipped';
  /** What later steps read as `steps.<id>.output`. */
  output: Record<string, unknown>;
  /** The step's headline value (`steps.<id>.value`): an assertion's reading, a query's first cell. */
  value?: unknown;
  /** One line for the alert list and the summary when the level is not ok. */
  message?: string;
  perf?: PerfDatum[];
  /** The value came from a `--metric` override (a drill), not from the machine. */
  simulated?: boolean;
}

/** Questions to the operator; only asked when there is a terminal. */
export interface Prompter {
  /** Both reject when `signal` aborts (a timeout, SIGTERM) or the person presses Ctrl-C. */
  confirm(message: string, signal: AbortSignal): Promise<boolean>;
  choose<T extends string>(message: string, choices: { value: T; name: string }[], signal: AbortSignal): Promise<T>;
}

/** A nested run requested by a step (the `playbook` step type). */
export interface NestedRunRequest {
  name: string;
  params: Record<string, string>;
  /** The calling step's signal: its timeout or an interrupt stops the called run. */
  signal: AbortSignal;
}

/** A nested run's result, as far as the calling step needs it. */
export interface NestedRunResult {
  run_id: string;
  status: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  summary: string;
  steps: { id?: string; name: string; status: StepStatus; output: Record<string, unknown> }[];
}

/** Everything a step type may use while it runs. */
export interface StepRunContext<S> {
  /** The step with every template rendered (shell text already quoted). */
  step: S;
  /** Aborted when the step's timeout passes or the run is interrupted. */
  signal: AbortSignal;
  /** A line of the step's output for the progress display and the log. */
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  /** The step asked for root (`sudo: true`) and the engine checked it may have it. */
  sudo: boolean;
  /** Environment for child processes: the runbook's own plus the playbook's declared env. */
  env: Record<string, string | undefined>;
  /** The template context at the moment the step starts (read only). */
  context: TemplateContext;
  /** Render a template against the current context plus `locals` (for `deferred` keys). */
  render(template: string, locals?: Record<string, unknown>): string;
  redactor: Redactor;
  /** `--metric name=value` overrides for this run (drills). */
  metricOverrides: Record<string, number>;
  /** Present only when a terminal can answer. */
  prompter?: Prompter;
  /** Run another playbook as part of this one. */
  runPlaybook(request: NestedRunRequest): Promise<NestedRunResult>;
  /** The state directory, for step types that keep their own small state. */
  stateDir: string;
}

/** One item of the markdown checklist a step renders to. */
export interface ChecklistItem {
  text: string;
  /** Lines shown under the item: a command, a query. */
  detail?: { language: string; code: string };
}

/** A problem found by a step type's own checks, at a path inside the step. */
export type ReportProblem = (path: (string | number)[], message: string) => void;

/** How the engine renders a key's templates before the step runs. */
export type TemplateMode = 'text' | 'shell' | 'literal' | 'deferred';

/**
 * A step type: everything about one kind of step, in one module. The engine and the renderers
 * know step types only through this interface and the table in `steps/index.ts`.
 */
export interface StepType<S = any> {
  /** One sentence: what this kind of step does (schema description, `runbook types`). */
  summary: string;
  /** JSON Schema of the keys this type adds to the common step keys. */
  schema: { properties: Record<string, unknown>; required?: string[] };
  /**
   * Keys whose templates need special handling: `shell` quotes every interpolation;
   * `literal` forbids templates (SQL text); `deferred` is left for the step to render itself
   * with `render(text, locals)`. Other string keys render as plain text before `run`.
   */
  templates?: Record<string, TemplateMode>;
  /** Extra names `deferred` templates may use (e.g. an assertion's `value`). */
  templateLocals?: string[];
  /** Changes the machine (drives dry-run wording and the checklist's caution marks). */
  sideEffects: boolean | ((step: S) => boolean);
  /** Checks a schema cannot express (regexes, durations, value ranges). */
  check?(step: S, report: ReportProblem): void;
  /** One line in operator terms: "restart PM2 process api, wait until online (30s)". */
  describe(step: S): string;
  /** The checklist item; defaults to `describe`. */
  checklist?(step: S): ChecklistItem;
  /** Names of other playbooks this step runs (for cycle checks and nested checklists). */
  calls?(step: S): string[];
  run(ctx: StepRunContext<S>): Promise<StepOutcome>;
}
