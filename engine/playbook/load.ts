import { RunbookError } from '../errors.js';
import { stepType } from '../steps/index.js';
import type { StepType } from '../steps/types.js';
import { semanticProblems } from './checks.js';
import { didYouMean } from '../suggest.js';
import { findPlaybook, listPlaybooks, nameOfFile, resolvedName } from './locate.js';
import { nameProblem } from './name.js';
import { formatProblem, type Problem } from './problems.js';
import { PlaybookFileError, readPlaybookText } from './read-file.js';
import { schemaCheck } from './schema-problems.js';
import { soundParts } from './sound-parts.js';
import { YamlSource } from './source.js';
import type { Playbook, Step } from './types.generated.js';

/** A playbook that passed every check. */
export interface LoadedPlaybook {
  name: string;
  file: string;
  data: Playbook;
  source: YamlSource;
}

export interface CheckResult {
  playbook?: LoadedPlaybook;
  problems: Problem[];
  source?: YamlSource;
}

function readSource(file: string): YamlSource | Problem {
  let text: string;
  try {
    text = readPlaybookText(file);
  } catch (error) {
    if (!(error instanceof PlaybookFileError)) throw error;
    return { file, line: 1, col: 1, message: error.message };
  }
  return new YamlSource(file, text);
}

/** The names to suggest from; none when a folder cannot be listed (that error belongs to `list`). */
function knownNames(dirs: string[]): string[] {
  try {
    return listPlaybooks(dirs).map((p) => p.name);
  } catch (error) {
    if (error instanceof RunbookError) return [];
    throw error;
  }
}

/** `playbook` steps: each called playbook must exist and no chain of calls may come back. */
function callProblems(playbook: LoadedPlaybook, dirs: string[]): Problem[] {
  const problems: Problem[] = [];
  const callsOf = (data: Playbook): { index: number; callee: string }[] =>
    data.steps.flatMap((step, index) => ((stepType((step as Step | null)?.type ?? "") as StepType | undefined)?.calls?.(step) ?? [])
      // A callee that is not text is the schema's to report.
      .filter((callee) => typeof callee === 'string')
      .map((callee) => ({ index, callee })));

  const cycleFrom = (name: string, stack: string[]): string[] | undefined => {
    if (stack.includes(name)) return [...stack.slice(stack.indexOf(name)), name];
    const file = findPlaybook(name, dirs);
    const source = file && readSource(file);
    if (!source || !(source instanceof YamlSource)) return undefined;
    let data: Playbook | null;
    try {
      data = source.data() as Playbook | null;
    } catch {
      return undefined; // its own validation reports it
    }
    if (!data || !Array.isArray(data.steps)) return undefined;
    for (const { callee } of callsOf(data)) {
      const cycle = cycleFrom(callee, [...stack, name]);
      if (cycle) return cycle;
    }
    return undefined;
  };

  for (const { index, callee } of callsOf(playbook.data)) {
    const at = ['steps', index, 'playbook'];
    const badName = nameProblem(callee);
    if (badName) {
      problems.push(playbook.source.problemAt(at, badName));
      continue;
    }
    if (!findPlaybook(callee, dirs)) {
      problems.push(playbook.source.problemAt(at, `playbook \`${callee}\` does not exist${didYouMean(callee, knownNames(dirs))}`));
      continue;
    }
    const cycle = cycleFrom(callee, [playbook.name]);
    if (cycle) problems.push(playbook.source.problemAt(at, `playbook calls make a cycle: ${cycle.join(' → ')}`));
  }
  return problems;
}

/** Loads and checks one playbook file; every problem found is returned, nothing is run. */
export async function checkPlaybookFile(file: string, dirs: string[], name = nameOfFile(file, dirs)): Promise<CheckResult> {
  const badName = nameProblem(name);
  if (badName) return { problems: [{ file, line: 1, col: 1, message: `${badName}; rename the file` }] };
  const source = readSource(file);
  if (!(source instanceof YamlSource)) return { problems: [source] };
  const syntax = source.syntaxProblems();
  if (syntax.length) return { problems: syntax, source };
  let data: unknown;
  try {
    data = source.data();
  } catch (error) {
    // yaml refuses documents whose aliases expand without bound (a "billion laughs" file).
    return { problems: [{ file, line: 1, col: 1, message: `cannot read the YAML: ${(error as Error).message}` }], source };
  }
  const schema = schemaCheck(source, data);
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { problems: schema.problems, source };
  // Every check runs, on the parts the schema found sound: one pass reports every problem.
  const sound = soundParts(data as Record<string, unknown>, schema.broken);
  const playbook: LoadedPlaybook = { name, file, data: data as Playbook, source };
  const problems = [...schema.problems, ...(await semanticProblems(source, sound)), ...callProblems({ ...playbook, data: sound.playbook }, dirs)];
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  return problems.length ? { problems, source } : { playbook, problems, source };
}

/** Every problem of a check, formatted with the offending lines. */
export function formatProblems(result: CheckResult): string[] {
  return result.problems.map((problem) => formatProblem(problem, result.source?.text));
}

/** Finds playbook `name` and loads it, or throws UNKNOWN_PLAYBOOK / INVALID_PLAYBOOK. */
export async function loadPlaybook(name: string, dirs: string[]): Promise<LoadedPlaybook> {
  const badName = nameProblem(name);
  if (badName) throw new RunbookError('UNKNOWN_PLAYBOOK', badName);
  const file = findPlaybook(name, dirs);
  if (!file) {
    throw new RunbookError('UNKNOWN_PLAYBOOK', `no playbook named \`${name}\`${didYouMean(name, knownNames(dirs))}; \`runbook list\` shows them`);
  }
  const result = await checkPlaybookFile(file, dirs, resolvedName(name, file));
  if (!result.playbook) {
    throw new RunbookError('INVALID_PLAYBOOK', `${file} is not a valid playbook: nothing was run`, { details: formatProblems(result) });
  }
  return result.playbook;
}
