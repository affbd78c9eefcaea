import path from 'node:path';
import { RunbookError } from '../errors.js';
import { renderTemplate } from '../template/render.js';

const climbs = (file: string) => file.split(/[\\/]/).filter((segment) => segment === '..').length;

/** Why `file`, rendered from `template`, is refused, or undefined. */
function climbProblem(template: string, file: string): string | undefined {
  if (climbs(file) <= climbs(template.replace(/{{[^}]*}}/g, 'x'))) return undefined;
  return `report path ${JSON.stringify(file)} gets a \`..\` from a template value: refused`;
}

/**
 * The report's file for this run. A value (a param, an output) may name a file but must not
 * climb out of the folder the playbook chose: a `..` segment the playbook's own text does not
 * have is refused.
 */
export function renderReportPath(template: string, context: object): string {
  const file = renderTemplate(template, context);
  const problem = climbProblem(template, file);
  if (problem) throw new Error(problem);
  return file;
}

/**
 * The same refusal before anything runs, when the inputs alone (`--param dir=../..`) already
 * make the path climb. A path that reads step outputs cannot render yet: it is checked at the end.
 */
export function refuseClimbingReportPath(opts: { template: string; context: object; redact: (text: string) => string }): void {
  const { template, context } = opts;
  let file: string;
  try {
    file = renderTemplate(template, context);
  } catch {
    return;
  }
  const problem = climbProblem(template, file);
  if (problem) throw new RunbookError('BAD_ARGUMENT', opts.redact(`${problem}; nothing was run`));
}

/**
 * Where a relative report path goes: RUNBOOK_REPORT_DIR, else STATE_DIR/reports, which a reboot
 * keeps (/tmp may be wiped by the Wednesday reboot). RUNBOOK_REPORT_DIR=/tmp gives back the
 * seed's /tmp/weekly-health-report-YYYY-MM-DD.txt. An absolute path is taken as written.
 */
export function reportDir(env: NodeJS.ProcessEnv, stateDir: string): string {
  return path.resolve(env.RUNBOOK_REPORT_DIR || path.join(stateDir, 'reports'));
}
