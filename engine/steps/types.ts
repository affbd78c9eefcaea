import type { Redactor } from '../redact.js';
import type { Alert, TemplateContext } from '../template/context.js';

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
  /** This step's own state between runs (one JSON document per playbook and step). */
  state: StepState;
}

/**
 * A step's memory of its earlier runs (how far a log was read, what was last sent). `read` gives
 * what the last real run wrote; `write` replaces it, and does nothing in a dry run, which must
 * not move it on.
 */
export interface StepState {
  read(): unknown;
  write(value: unknown): void;
}

/** What a step may see of the playbook's previous finished run. */
export interface PreviousRunView {
  run_id: string;
  status: string;
  /** Its alerts from the steps before the one matching `step` (all of them when it had no such step). */
  alertsBefore(step: { id?: string; name: string }): Alert[];
}

/**
 * What the engine can hand a step beyond the common context. A step type lists the ports it
 * needs (`StepType.ports`) and its `run` receives exactly those: no step type reaches into the
 * engine's run state or files.
 */
export interface StepPorts {
  /** Undefined on a playbook's first run. */
  previousRun: PreviousRunView | undefined;
}

export type PortName = keyof StepPorts;

/** One item of the markdown checklist a step renders to. */
export interface ChecklistItem {
  text: string;
  /** Lines shown under the item: a command, a query. */
  detail?: { language: string; code: string };
}

/** A problem found by a step type's own checks, at a path inside the step. */
export type ReportProblem = (path: (string | number)[], message: string) => void;

/** How the engine renders a key's templates before the step runs. */
export type TemplateMode = 'text' | 'shell' | 'url' | 'literal' | 'deferred';

/** The JSON type of an output, in the words `runbook doc` shows. */
export type OutputType = 'string' | 'number' | 'boolean' | 'list' | 'object' | 'any';

/** One key a step type puts in `steps.<id>.output`. */
export interface OutputSpec {
  type: OutputType;
  description: string;
  /** Present only for some steps of the type ("action logs", "when gexec"); `outputsOf` narrows it. */
  when?: string;
}

/**
 * A step type: everything about one kind of step, in one module. The engine and the renderers
 * know step types only through this interface and the table in `steps/index.ts`; the schema,
 * the generated types, `runbook doc` and docs/reference.md are all derived from it.
 */
export interface StepType<S = any, P extends PortName = never> {
  /** One sentence: what this kind of step does (schema description, `runbook doc`). */
  summary: string;
  /**
   * JSON Schema of the keys this type adds to the common step keys. Give every property a
   * `description` (editors show it on hover; `runbook doc TYPE` lists it) and a `default` when
   * there is one.
   */
  schema: { properties: Record<string, unknown>; required?: string[] };
  /**
   * What the step leaves in `steps.<id>.output`, key by key. Validation refuses a template that
   * reads `steps.ID.output.KEY` for a KEY its step cannot produce; below the key (a `json` or
   * `row` of any shape, list items) nothing is checked.
   */
  outputs: Record<string, OutputSpec>;
  /** The output keys this step produces when they depend on its settings (pm2's `action`); default all of `outputs`. */
  outputsOf?(step: S): string[];
  /** A playbook step that illustrates the type (`runbook doc TYPE`, docs/reference.md), as YAML. */
  example: string;
  /**
   * The timeout the engine applies when the step sets none (`30s`, `5m`); absent means no limit.
   * The contract: when the timeout passes or the run is interrupted, `ctx.signal` aborts. `run`
   * must then stop its work (kill its processes, cancel its query, close its connection) and
   * settle promptly: the engine waits 5 s more, then records the step as failed and moves on
   * whether or not `run` settled. `ctx.step.timeout` is the timeout in force (the step's own or
   * this default), for step types that pass a deadline on (a statement_timeout).
   */
  defaultTimeout?: string;
  /**
   * Keys whose templates need special handling: `shell` quotes every interpolation; `url`
   * percent-encodes every value but one that starts the text (the base); `literal` forbids templates (SQL text); `deferred` is left for the step to render itself
   * with `render(text, locals)`. Other string keys render as plain text before `run`.
   */
  templates?: Record<string, TemplateMode>;
  /** Extra names `deferred` templates may use (e.g. an assertion's `value`). */
  templateLocals?: string[];
  /** Changes the machine (drives dry-run wording and the checklist's caution marks). */
  sideEffects: boolean | ((step: S) => boolean);
  /** The engine ports `run` needs beyond its own state (the previous run); it gets only these. */
  ports?: readonly P[];
  /** Checks a schema cannot express (regexes, durations, value ranges). */
  check?(step: S, report: ReportProblem): void;
  /**
   * One line in operator terms: "restart PM2 process api, wait until online (30s)". Used by the
   * dry run, the approval question and (without `checklist`) the checklist, so the step it gets
   * is never the real one at run time:
   * - dry run (`run --dry-run`) and the `confirm` question: templates rendered, with every
   *   `steps.*` read as a placeholder `<steps.ID.output.KEY>` and declared secret env as `***`
   *   (dry run) or the real value (question);
   * - checklist (`runbook render`): nothing rendered against the machine: a var shows as its
   *   value, a param as `<name>`, an env value as `$NAME`, `{{date "FMT"}}` as `FMT`; any other
   *   template stays as written (`{{steps.swap.value}}`).
   * So it must not parse numbers or durations out of template-able keys without a fallback,
   * and must not throw.
   */
  describe(step: S): string;
  /** The checklist item; defaults to `describe`. Receives the readable step described above. */
  checklist?(step: S): ChecklistItem;
  /** Names of other playbooks this step runs (for cycle checks and nested checklists). */
  calls?(step: S): string[];
  /**
   * Does the work. Throw (a `StepFailure` with the output so far) when the step could not do
   * it; return a level for what it found. See `defaultTimeout` for the abort contract.
   */
  run(ctx: StepRunContext<S> & Pick<StepPorts, P>): Promise<StepOutcome>;
}

/** Any step type, whatever ports it asks for: what the table and the engine hold. */
export type AnyStepType = StepType<any, PortName>;
