import { stepType } from '../steps/index.js';
import type { StepType } from '../steps/types.js';
import { refusedTemplate } from '../template/render.js';
import { shellPolicy } from '../template/shell/taint.js';
import { checkInputNames } from './input-names.js';
import { plainCronIsValid } from './plain-cron.js';
import type { Problem } from './problems.js';
import type { Path, YamlSource } from './source.js';
import { templateProblems, type TemplateScope } from './template-checks.js';
import type { Playbook, Step } from './types.generated.js';

type Report = (path: Path, message: string, opts?: { key?: boolean }) => void;

// Keys whose values are names, not templates.
const NOT_TEMPLATES = new Set(['id', 'type', 'when']);

function eachString(value: unknown, path: Path, visit: (text: string, path: Path) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => eachString(item, [...path, i], visit));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) eachString(item, [...path, key], visit);
  }
}

/** Each step's output keys by id, as its type declares them for its settings. */
function outputKeys(playbook: Playbook): Map<string, string[]> {
  return new Map(playbook.steps.flatMap((step) => {
    const type = stepType(step.type);
    if (!step.id || !type) return [];
    return [[step.id, type.outputsOf?.(step) ?? Object.keys(type.outputs)]];
  }));
}

function checkParams(playbook: Playbook, report: Report): void {
  for (const [name, param] of Object.entries(playbook.params ?? {})) {
    if (typeof param.pattern !== 'string') continue;
    try {
      new RegExp(param.pattern);
    } catch (error) {
      report(['params', name, 'pattern'], `\`pattern\` of param \`${name}\` is not a valid regular expression: ${(error as Error).message}`);
    }
  }
}

function checkSteps(playbook: Playbook, report: Report, checkable: (index: number) => boolean): void {
  const allSteps = new Set(playbook.steps.flatMap((step) => (step.id ? [step.id] : [])));
  const outputs = outputKeys(playbook);
  const earlierSteps = new Set<string>();
  const policy = shellPolicy(playbook);
  const seenIds = new Map<string, number>();
  playbook.steps.forEach((step: Step, index) => {
    const at: Path = ['steps', index];
    if (step.id) {
      if (seenIds.has(step.id)) report([...at, 'id'], `step id \`${step.id}\` must be unique (step ${seenIds.get(step.id)! + 1} has it too)`);
      seenIds.set(step.id, index);
    }
    // An unknown type (reported by the schema) still has its templates checked, as plain text.
    const type = stepType(step.type) as StepType | undefined;
    const modes = type?.templates ?? {};
    const scope: TemplateScope = { playbook, earlierSteps, allSteps, outputs };
    for (const [key, value] of Object.entries(step)) {
      if (NOT_TEMPLATES.has(key)) continue;
      const mode = modes[key];
      eachString(value, [...at, key], (text, path) => {
        if (mode === 'literal') {
          if (text.includes('{{')) report(path, `\`${key}\` cannot hold templates: pass values as parameters instead`);
          return;
        }
        const locals = mode === 'deferred' ? { locals: type?.templateLocals } : {};
        const problems = templateProblems(text, { ...scope, ...locals });
        for (const message of problems) report(path, message);
        if (mode && problems.length === 0) {
          for (const message of refusedTemplate(text, mode, policy)) report(path, message);
        }
      });
    }
    if (checkable(index)) type?.check?.(step, (path, message) => report([...at, ...path], message));
    if (step.id) earlierSteps.add(step.id);
  });
}

function checkPlaybookTemplates(playbook: Playbook, report: Report): void {
  // These render around the whole run, so they may read any step.
  const ids = new Set(playbook.steps.flatMap((step) => (step.id ? [step.id] : [])));
  const scope: TemplateScope = { playbook, earlierSteps: ids, allSteps: ids, outputs: outputKeys(playbook) };
  if (playbook.report) for (const message of templateProblems(playbook.report.path, scope)) report(['report', 'path'], message);
  if (playbook.heartbeat) for (const message of templateProblems(playbook.heartbeat, scope)) report(['heartbeat'], message);
  // The log is opened before the run has a context (and cron's block names it): a plain path.
  if (playbook.log?.includes('{{')) report(['log'], '`log` is a plain file path: it cannot hold templates');
}

async function checkSchedule(playbook: Playbook, report: Report): Promise<void> {
  const schedule = playbook.schedule;
  if (!schedule) return;
  if (schedule.only !== undefined && !playbook.steps.some((step) => step?.id === schedule.only || step?.name === schedule.only)) {
    report(['schedule', 'only'], `schedule.only \`${schedule.only}\` names no step (give a step's id or name)`);
  }
  const timezone = typeof schedule.timezone === 'string' ? schedule.timezone : 'UTC';
  // ICU's time zone data costs ~20 ms and ~8 MB the first time: UTC needs no look-up.
  if (timezone !== 'UTC') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      report(['schedule', 'timezone'], `unknown timezone \`${timezone}\` (use an IANA name such as UTC or Europe/Paris)`);
      return;
    }
  }
  const fields = schedule.cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    report(['schedule', 'cron'], `cron expression must have 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`);
    return;
  }
  if (timezone === 'UTC' && plainCronIsValid(fields)) return;
  const { CronExpressionParser } = await import('cron-parser');
  try {
    CronExpressionParser.parse(schedule.cron, { tz: timezone });
  } catch (error) {
    report(['schedule', 'cron'], `invalid cron expression \`${schedule.cron}\`: ${(error as Error).message}`);
  }
}

/**
 * The checks a schema cannot do. They run on the sound parts of the playbook even when the
 * schema found problems elsewhere, so that one pass reports everything.
 */
export async function semanticProblems(source: YamlSource, sound: { playbook: Playbook; checkable: (index: number) => boolean }): Promise<Problem[]> {
  const { playbook } = sound;
  const problems: Problem[] = [];
  const report: Report = (path, message, opts) => problems.push(source.problemAt(path, message, opts));
  checkInputNames(playbook, report);
  checkParams(playbook, report);
  checkSteps(playbook, report, sound.checkable);
  checkPlaybookTemplates(playbook, report);
  await checkSchedule(playbook, report);
  return problems;
}
