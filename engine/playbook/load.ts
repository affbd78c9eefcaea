import { RunbookError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { checkCache } from './check-cache.js';
import { findPlaybook, knownNames, nameOfFile, resolvedName } from './locate.js';
import { nameProblem } from './name.js';
import { formatProblem, type Problem } from './problems.js';
import { PlaybookFileError, readPlaybookText } from './read-file.js';
import type { Playbook } from './types.generated.js';

/** A playbook that passed every check. */
export interface LoadedPlaybook {
  name: string;
  file: string;
  data: Playbook;
}

export interface CheckResult {
  playbook?: LoadedPlaybook;
  problems: Problem[];
  /** The file's text, to show the lines of its problems. */
  text?: string;
}

/**
 * Loads and checks one playbook file; every problem found is returned, nothing is run. A file
 * that passed before, unchanged with everything it depends on, is taken from the check cache
 * (check-cache.ts) without loading the checks at all.
 */
export async function checkPlaybookFile(file: string, dirs: string[], name = nameOfFile(file, dirs)): Promise<CheckResult> {
  const badName = nameProblem(name);
  if (badName) return { problems: [{ file, line: 1, col: 1, message: `${badName}; rename the file` }] };
  const cache = checkCache(dirs);
  let text: string;
  try {
    text = cache?.keptText(file) ?? readPlaybookText(file);
  } catch (error) {
    if (!(error instanceof PlaybookFileError)) throw error;
    return { problems: [{ file, line: 1, col: 1, message: error.message }] };
  }
  const cached = cache?.get(name, file, text);
  if (cached) return { playbook: { name, file, data: cached }, problems: [], text };
  const { checkText } = await import('./check.js');
  const checked = await checkText({ file, text, dirs, name });
  if (!checked.data) return { problems: checked.problems, text };
  cache?.put(name, file, text, checked.data, checked.lookups);
  return { playbook: { name, file, data: checked.data }, problems: [], text };
}

/** Every problem of a check, formatted with the offending lines. */
export function formatProblems(result: CheckResult): string[] {
  return result.problems.map((problem) => formatProblem(problem, result.text));
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
