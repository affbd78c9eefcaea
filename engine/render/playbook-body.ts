import type { LoadedPlaybook } from '../playbook/load.js';
import type { Playbook } from '../playbook/types.generated.js';
import { parseSchedule } from '../schedule/next.js';
import { joinWords, scheduleLine } from '../schedule/words.js';
import { escapeProse, inlineCode, paragraphs } from './markdown.js';
import { readable, readableInputs } from './readable.js';
import { CHANGES_MARK, stepItems, type LoadPlaybook } from './step-items.js';

/** The command that runs the playbook by hand, with a placeholder for each required param. */
export function runCommand(name: string, data: Playbook): string {
  const required = Object.entries(data.params ?? {}).filter(([, param]) => param.required && param.default === undefined);
  return ['runbook run', name, ...required.map(([param]) => `--param ${param}=<${param}>`)].join(' ');
}

function paramLines(data: Playbook): string[] {
  const params = Object.entries(data.params ?? {});
  if (!params.length) return [];
  return ['**Params**:', ...params.map(([name, param]) => {
    const fallback = param.default === undefined ? undefined : param.default === '' ? 'default empty' : `default ${inlineCode(String(param.default))}`;
    const facts = [param.required ? 'required' : 'optional', fallback].filter(Boolean);
    return `- ${inlineCode(name)} (${facts.join(', ')})${param.description ? `: ${param.description}` : ''}`;
  })];
}

function envLine(data: Playbook): string[] {
  const env = Object.entries(data.env ?? {});
  if (!env.length) return [];
  const names = env.map(([name, spec]) => `${inlineCode(name)} (${[spec.required ? 'required' : 'optional', spec.secret && 'secret'].filter(Boolean).join(', ')})`);
  return [`**Environment**: ${joinWords(names)}`];
}

function heartbeatLine(url: string): string {
  return `- Heartbeat: ${inlineCode(`${url}/start`)} when the run starts, then ${inlineCode(url)} when it ends OK or WARNING, ${inlineCode(`${url}/fail`)} otherwise`;
}

function outputLines(data: Playbook): string[] {
  const inputs = readableInputs(data);
  const outputs = [
    data.report && `- Report: ${inlineCode(readable(data.report.path, inputs))} (${data.report.format ?? 'text'})`,
    data.log && `- Log: ${inlineCode(readable(data.log, inputs))}`,
    data.heartbeat && heartbeatLine(readable(data.heartbeat, inputs)),
  ].filter((line): line is string => Boolean(line));
  return outputs.length ? ['**Output**:', ...outputs] : [];
}

/** The checklist under its heading, which explains the marks its items carry. */
function checklist(items: string[]): string[] {
  const marked = items.some((item) => item.includes(`] ${CHANGES_MARK}`));
  return [`**Checklist**${marked ? ` (${CHANGES_MARK.trim()} may change the machine: a dry run only describes it)` : ''}:`, ...items];
}

/**
 * Everything about one playbook under its heading: schedule in words and as cron, how to run it,
 * description, inputs, the step checklist, what a good run looks like and where its results go.
 */
export async function playbookBody(playbook: LoadedPlaybook, opts: { load: LoadPlaybook; calledBy?: string[] }): Promise<string[]> {
  const { data } = playbook;
  const only = data.schedule?.only ? `; a scheduled run runs only ${inlineCode(data.schedule.only)}, the rest is done by hand` : '';
  const schedule = data.schedule ? `${scheduleLine(await parseSchedule(data.schedule))}${only}` : 'none, run by hand';
  const calledBy = opts.calledBy?.length ? [`**Called by**: ${joinWords(opts.calledBy.map(inlineCode))}`] : [];
  return paragraphs([
    [`**Schedule**: ${schedule}`],
    [`**Run by hand**: ${inlineCode(runCommand(playbook.name, data))}`],
    calledBy,
    data.description ? [data.description.trim()] : [],
    paramLines(data),
    envLine(data),
    checklist(await stepItems(playbook, { load: opts.load })),
    data.expected?.length ? ['**Expected results**:', ...data.expected.map((line) => `- ${escapeProse(line)}`)] : [],
    outputLines(data),
  ]);
}
