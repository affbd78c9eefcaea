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

// A path or a name runbook writes itself (a crontab line, a hint) is never in a regex or a
// brace expansion, so dots and pluses stay readable there.
const PLAIN_PATH = /^[A-Za-z0-9_\/.:@%+-]+$/;

/** POSIX shell quoting of a path or name runbook puts in a command line it writes. */
export function shellQuote(text: string): string {
  return PLAIN_PATH.test(text) ? text : quoteFor('bare', text);
}
