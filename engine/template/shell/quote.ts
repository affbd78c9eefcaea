// Characters that mean nothing to sh or bash in any position of a word: no `=` (an assignment),
// `~`, `^`, globs or braces, and no `.`, `,` or `+`, which a bash regex (`[[ =~ ]]`) or a brace
// expansion would read. Anything else is single-quoted.
const SAFE_WORD = /^[A-Za-z0-9_\/:@%-]+$/;

/** Quotes `text` so that, at `quote`, the shell reads it as data and nothing else. */
export function quoteFor(quote: 'bare' | 'double' | 'single', text: string): string {
  switch (quote) {
    case 'bare':
      return SAFE_WORD.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
    case 'double':
      return text.replace(/[\\$`"]/g, '\\$&');
    case 'single':
      return text.replace(/'/g, `'\\''`);
  }
}

/** POSIX shell quoting of a value used as a whole word. */
export function shellQuote(text: string): string {
  return quoteFor('bare', text);
}
