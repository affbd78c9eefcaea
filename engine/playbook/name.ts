/**
 * Playbook names are file paths below a playbook folder, and they travel: into crontab lines,
 * log file names, lock and history paths, command lines. So they keep to a small set: segments of
 * letters, digits, `.`, `_` and `-`, not starting with `.` or `-` (no `..`, no option look-alike),
 * joined by `/`. A newline in a file name must never become a crontab line.
 */
const SEGMENT = '[A-Za-z0-9_][A-Za-z0-9._-]*';
const NAME = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);

export const NAME_RULE = 'names are letters, digits, `_`, `.` and `-` (these two not first), in folders joined by `/`';

/** Why `name` cannot be a playbook name, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  return NAME.test(name) ? undefined : `playbook name ${JSON.stringify(name)} refused: ${NAME_RULE}`;
}
