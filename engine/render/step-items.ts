import type { LoadedPlaybook } from '../playbook/load.js';
import type { Step } from '../playbook/types.generated.js';
import { stepType } from '../steps/index.js';
import { hasSideEffects } from '../steps/side-effects.js';
import { codeBlock, escapeProse, indent, inlineCode } from './markdown.js';
import { readableInputs, readableStep, type ReadableInputs } from './readable.js';
import { conditionWords } from '../template/words.js';

/** Loads a playbook by name (validated), for the steps of a called playbook. */
export type LoadPlaybook = (name: string) => Promise<LoadedPlaybook>;

const WHEN_NOTES: Record<string, string> = {
  always: 'always, even after a failure',
  'on-failure': 'only after a failure',
  'on-alert': 'only when an earlier check alerted',
};

const CONFIRM_MARK = '⚠️ **confirm first**: ';
// The step's type declares it may change the machine (a dry run only describes it).
export const CHANGES_MARK = '✏️ ';

function notes(step: Step, inputs: ReadableInputs): string {
  const found = [
    step.when && WHEN_NOTES[step.when],
    step.if !== undefined && `only if ${conditionWords(step.if, inputs)}`,
    step.sudo && 'as root',
  ].filter(Boolean);
  return found.length ? ` _(${found.join('; ')})_` : '';
}

/**
 * One `- [ ]` item per step, as its step type words it, with a confirm mark on destructive
 * steps and a pencil on the others that may change the machine; a step that runs other playbooks gets their steps nested under it.
 */
export async function stepItems(playbook: LoadedPlaybook, opts: { load: LoadPlaybook; stack?: string[] }): Promise<string[]> {
  const stack = [...(opts.stack ?? []), playbook.name];
  const inputs = readableInputs(playbook.data);
  const lines: string[] = [];
  for (const step of playbook.data.steps) {
    const type = stepType(step.type);
    const shown = readableStep(step, inputs);
    const item = type.checklist?.(shown) ?? { text: type.describe(shown) };
    const [first = '', ...more] = escapeProse(item.text.trim()).split('\n');
    const mark = step.confirm ? CONFIRM_MARK : hasSideEffects(step) ? CHANGES_MARK : '';
    lines.push(`- [ ] ${mark}${escapeProse(step.name)}${notes(step, inputs)}${first ? `: ${first}` : ''}`);
    lines.push(...indent(more));
    if (item.detail) lines.push(...indent(codeBlock(item.detail.language, item.detail.code)));
    for (const callee of type.calls?.(shown) ?? []) lines.push(...indent(await calledItems(callee, { load: opts.load, stack })));
  }
  return lines;
}

// Validation rejects call cycles; this guard keeps a cycle that slipped through from recursing forever.
async function calledItems(name: string, opts: { load: LoadPlaybook; stack: string[] }): Promise<string[]> {
  if (opts.stack.includes(name)) return [`- [ ] ${inlineCode(name)} again: its steps are listed above (the calls make a cycle)`];
  return stepItems(await opts.load(name), opts);
}
