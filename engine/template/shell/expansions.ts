// Parameter expansions bash reads without evaluating anything: `${NAME}`, `${#NAME}`, the
// special parameters, `${NAME:-word}` and kin, pattern removal and replacement, case changes,
// and substrings with literal offsets. Anything else (`${!ref}`, `${a[i]}`, `${s:n}`, `${x@P}`)
// evaluates a variable's contents as a name, arithmetic or a prompt: a value that reached that
// variable would run.
const PLAIN = /^(?:#?[A-Za-z_][A-Za-z0-9_]*|#?[0-9]+|[@*#?$!-])$/;
const OPERATOR = /^[A-Za-z_][A-Za-z0-9_]*(?::?[-=+?]|##?|%%?|\/[\/#%]?|\^\^?|,,?)/;
const SUBSTRING = /^[A-Za-z_][A-Za-z0-9_]*:[0-9]+(?::[0-9]+)?$/;

/** True when bash would evaluate something while expanding `${content}`. */
export function expansionRunsCode(content: string): boolean {
  return !(PLAIN.test(content) || OPERATOR.test(content) || SUBSTRING.test(content));
}
