/**
 * Linux refuses to start a program when one argument or one NAME=value of its environment is
 * over MAX_ARG_STRLEN (32 pages: 128 KiB), and says only `spawn E2BIG`. A template value can be
 * that big (a step's output, a var): say which, before trying.
 */
export const MAX_ARG_BYTES = 128 * 1024;
const ADVICE = `one argument or environment variable can hold at most ${MAX_ARG_BYTES / 1024} KiB: pass large data through a file`;

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`);

/**
 * The template values big enough to be the cause and found in `texts` (by their start: quoting
 * may change a value further on), largest first: "`params.x` is 1.0 MiB".
 */
function bigValues(context: object, texts: string[]): string[] {
  const found: [string, number][] = [];
  const visit = (value: unknown, at: string): void => {
    if (typeof value === 'string') {
      const bytes = Buffer.byteLength(value);
      if (bytes > MAX_ARG_BYTES / 4 && texts.some((text) => text.includes(value.slice(0, 256)))) found.push([at, bytes]);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, at ? `${at}.${key}` : key);
    }
  };
  visit(context, '');
  return found.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([at, bytes]) => `\`${at}\` is ${size(bytes)}`);
}

/**
 * Why the command `command` with environment `env` cannot start, naming the piece that is too
 * big and the template values behind it, or undefined.
 */
export function oversizeProblem(opts: { command: string; env: Record<string, string | undefined>; context: object }): string | undefined {
  // Sizes first, texts only for what is over: every step checks the whole environment.
  const over: [string, string][] = Buffer.byteLength(opts.command) + 1 > MAX_ARG_BYTES ? [['the command (`run`)', opts.command]] : [];
  for (const [name, value = ''] of Object.entries(opts.env)) {
    if (Buffer.byteLength(name) + Buffer.byteLength(value) + 2 > MAX_ARG_BYTES) over.push([`env \`${name}\``, `${name}=${value}`]);
  }
  if (!over.length) return undefined;
  const causes = bigValues(opts.context, over.map(([, text]) => text));
  const sizes = over.map(([what, text]) => `${what} is ${size(Buffer.byteLength(text) + 1)}`).join(', ');
  return `${sizes}${causes.length ? ` (${causes.join(', ')})` : ''}; ${ADVICE}`;
}

/** The words for a start that failed with E2BIG anyway: everything together is over the limit. */
export const TOO_BIG_IN_ALL = 'the command and its environment together are over the system limit (E2BIG): pass large data through a file';
