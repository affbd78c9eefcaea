import fc from 'fast-check';

/** Pieces an attacker would put in a value: quotes, expansions, separators, escapes, options. */
const SHELL_PIECES = [
  "'", '"', '`', '$', '$(', ')', '${', '}', '$((', '))', '\\', '\\\\', ';', '&', '&&', '|', '||', '\n', '\r', '\t', ' ',
  '<', '>', '<<', '>>', '*', '?', '[', ']', '{', '}', '~', '!', '#', '=', '%', '^', ',', '-', '--', '-n', '-e', '$IFS',
  "$'\\x27'", 'a[$(id)]', '\u00e9', '\u{1F600}', '\u202e', 'EOF', 'END', '%s', '%n', '{{', '}}', 'x', 'y', '0', '1',
];

/** Values that try to run `touch CANARY` through every trick in SHELL_PIECES. */
export function hostileValue(canary: string): fc.Arbitrary<string> {
  const payloads = [`$(touch ${canary})`, `\`touch ${canary}\``, `; touch ${canary}`, `' ; touch ${canary} ; '`, `" ; touch ${canary} ; "`, `\ntouch ${canary}\n`, `a[$(touch ${canary})]`, `|touch ${canary}`];
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...SHELL_PIECES) },
    { weight: 2, arbitrary: fc.constantFrom(...payloads) },
    { weight: 2, arbitrary: fc.string({ maxLength: 4, unit: 'binary-ascii' }).map((text) => text.replace(/\0/g, '')) },
  );
  return fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
}

/** Undoes the quoting `quoteFor('bare', ...)` produces, or null when the text is not in that form. */
export function unquoteBare(word: string): string | null {
  if (/^[A-Za-z0-9_/:@%-]+$/.test(word)) return word;
  const match = /^'((?:[^']|'\\'')*)'$/s.exec(word);
  return match ? match[1]!.replace(/'\\''/g, "'") : null;
}

/** Undoes `quoteFor('double', ...)`, or null when a character the shell would expand is left bare. */
export function unquoteDouble(text: string): string | null {
  if (/(^|[^\\])(\\\\)*["$`]/.test(text) || /(^|[^\\])(\\\\)*\\$/.test(text)) return null;
  return text.replace(/\\([\\$`"])/g, '$1');
}
