// The checks of a playbook's text: YAML syntax, the schema, the step types' own checks, calls
// between playbooks. Loaded only when the check cache has no verdict (load.ts).
import { stepType } from '../steps/index.js';
import type { StepType } from '../steps/types.js';
import { semanticProblems } from './checks.js';
import { didYouMean } from '../suggest.js';
import { findPlaybook, knownNames } from './locate.js';
import { nameProblem } from './name.js';
import type { Problem } from './problems.js';
import { readPlaybookText } from './read-file.js';
import { schemaCheck } from './schema-problems.js';
import { soundParts } from './sound-parts.js';
import { YamlSource } from './source.js';
import type { Playbook, Step } from './types.generated.js';

export interface TextCheck {
  problems: Problem[];
  /** The playbook, when there is no problem. */
  data?: Playbook;
  /** Every playbook name the check looked up (the calls, and theirs, to find cycles), with the file found or null. */
  lookups: Record<string, string | null>;
}

/** `playbook` steps: each called playbook must exist and no chain of calls may come back. */
function callProblems(source: YamlSource, name: string, data: Playbook, dirs: string[], lookups: TextCheck['lookups']): Problem[] {
  const problems: Problem[] = [];
  const find = (callee: string) => (lookups[callee] = findPlaybook(callee, dirs) ?? null);
  const callsOf = (playbook: Playbook): { index: number; callee: string }[] =>
    playbook.steps.flatMap((step, index) => ((stepType((step as Step | null)?.type ?? "") as StepType | undefined)?.calls?.(step) ?? [])
      // A callee that is not text is the schema's to report.
      .filter((callee) => typeof callee === 'string')
      .map((callee) => ({ index, callee })));

  const cycleFrom = (callee: string, stack: string[]): string[] | undefined => {
    if (stack.includes(callee)) return [...stack.slice(stack.indexOf(callee)), callee];
    const file = find(callee);
    if (!file) return undefined;
    let called: Playbook | null;
    try {
      called = new YamlSource(file, readPlaybookText(file)).data() as Playbook | null;
    } catch {
      return undefined; // unreadable or not YAML: its own check reports it
    }
    if (!called || !Array.isArray(called.steps)) return undefined;
    for (const next of callsOf(called)) {
      const cycle = cycleFrom(next.callee, [...stack, callee]);
      if (cycle) return cycle;
    }
    return undefined;
  };

  for (const { index, callee } of callsOf(data)) {
    const at = ['steps', index, 'playbook'];
    const badName = nameProblem(callee);
    if (badName) {
      problems.push(source.problemAt(at, badName));
      continue;
    }
    if (!find(callee)) {
      problems.push(source.problemAt(at, `playbook \`${callee}\` does not exist${didYouMean(callee, knownNames(dirs))}`));
      continue;
    }
    const cycle = cycleFrom(callee, [name]);
    if (cycle) problems.push(source.problemAt(at, `playbook calls make a cycle: ${cycle.join(' → ')}`));
  }
  return problems;
}

/** Checks the text of playbook `name` (from `file`); every problem found is returned. */
export async function checkText({ file, text, dirs, name }: { file: string; text: string; dirs: string[]; name: string }): Promise<TextCheck> {
  const lookups: TextCheck['lookups'] = {};
  const source = new YamlSource(file, text);
  const syntax = source.syntaxProblems();
  if (syntax.length) return { problems: syntax, lookups };
  let data: unknown;
  try {
    data = source.data();
  } catch (error) {
    // yaml refuses documents whose aliases expand without bound (a "billion laughs" file).
    return { problems: [{ file, line: 1, col: 1, message: `cannot read the YAML: ${(error as Error).message}` }], lookups };
  }
  const schema = schemaCheck(source, data);
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { problems: schema.problems, lookups };
  // Every check runs, on the parts the schema found sound: one pass reports every problem.
  const sound = soundParts(data as Record<string, unknown>, schema.broken);
  const problems = [...schema.problems, ...(await semanticProblems(source, sound)), ...callProblems(source, name, sound.playbook, dirs, lookups)];
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  return problems.length ? { problems, lookups } : { problems, data: data as Playbook, lookups };
}
