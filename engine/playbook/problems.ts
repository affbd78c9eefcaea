/** One thing wrong with a playbook file, where it is. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** `FILE:LINE:COL: message`, then the offending line and a caret under the column. */
export function formatProblem(problem: Problem, source?: string): string {
  // A file name with a newline or escape code is shown quoted: it must not forge lines of output.
  const file = /[\x00-\x1f\x7f]/.test(problem.file) ? JSON.stringify(problem.file) : problem.file;
  const head = `${file}:${problem.line}:${problem.col}: ${problem.message}`;
  const text = source?.split('\n')[problem.line - 1];
  if (text === undefined) return head;
  const gutter = `${problem.line} | `;
  return `${head}\n  ${gutter}${text}\n  ${' '.repeat(gutter.length + problem.col - 1)}^`;
}
