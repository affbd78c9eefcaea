/**
 * cron-parser accepts extensions Debian's cron does not understand: installed, such a line would
 * be rejected by `crontab` or never fire as the playbook says. Names (MON, JUL) are fine.
 */
const EXTENSIONS: [RegExp, string][] = [
  [/#/, '`#` (nth weekday of the month)'],
  [/L/, '`L` (last day)'],
  [/W/, '`W` (nearest weekday)'],
  [/\?/, '`?`'],
  [/H/, '`H` (hashed value)'],
];

/** Why Debian's cron cannot run `cron` as written, or undefined when it can. */
export function debianCronProblem(cron: string): string | undefined {
  const withoutNames = cron.replace(/[A-Za-z]{3}/g, '');
  const found = EXTENSIONS.filter(([pattern]) => pattern.test(withoutNames)).map(([, what]) => what);
  return found.length ? `\`${cron}\` uses ${found.join(', ')}, which Debian's cron does not understand` : undefined;
}
