/**
 * What usually causes YAML's own errors in a playbook, by the yaml library's error code (and
 * message): the library says what it found, this says what to write instead.
 */
const STAR = 'a value starting with * must be quoted (cron: "*/5 * * * *")';
const HINTS: { code: string; message?: RegExp; hint: string }[] = [
  // run: echo "x: y" reads as a mapping inside a mapping.
  { code: 'BLOCK_AS_IMPLICIT_KEY', hint: 'a value holding ": " must be quoted whole (run: \'echo "x: y"\') or written as a block (run: |, then the text on the lines below)' },
  { code: 'TAB_AS_INDENT', hint: 'indent with spaces: YAML does not allow tabs' },
  // cron: * * * * * reads * as an alias.
  { code: 'BAD_ALIAS', hint: STAR },
  { code: 'UNEXPECTED_TOKEN', message: /alias/i, hint: STAR },
  { code: 'BAD_SCALAR_START', hint: 'a value starting with @, ` or % must be quoted' },
  { code: 'MISSING_CHAR', hint: 'check the indentation (the keys of one step line up under its first key) and that every quote is closed' },
  { code: 'BAD_INDENT', hint: 'check the indentation and that every { and [ is closed' },
];

/** YAML's message, with the usual cause when it is known. */
export function withYamlHint(code: string, message: string): string {
  const found = HINTS.find((hint) => hint.code === code && (!hint.message || hint.message.test(message)));
  return found ? `${message}: ${found.hint}` : message;
}
