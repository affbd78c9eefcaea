import type { Level, StepStatus } from '../steps/types.js';

/** What templates can read about one step (`steps.<id>`). */
export interface StepView {
  status: StepStatus;
  level: Level;
  value: unknown;
  output: Record<string, unknown>;
}

export interface Alert {
  step: string;
  level: Level;
  message: string;
}

/** The names a template can use. Only declared `params`, `vars` and `env` appear. */
export interface TemplateContext {
  params: Record<string, string>;
  vars: Record<string, unknown>;
  env: Record<string, string>;
  steps: Record<string, StepView>;
  /** The last finished run of this playbook, or null. */
  previous: { run_id: string; status: string; started_at: string; steps: Record<string, StepView> } | null;
  run: { id: string; started_at: string; status: string; alerts: Alert[] };
  playbook: { name: string; title: string };
  host: { hostname: string };
}

/** The top-level names, for validation messages. */
export const CONTEXT_ROOTS = ['params', 'vars', 'env', 'steps', 'previous', 'run', 'playbook', 'host'] as const;
