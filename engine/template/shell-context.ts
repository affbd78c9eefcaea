/**
 * Where in shell syntax an interpolation lands, so its value can be quoted for that place:
 * bare words get single quotes, inside "..." the special characters are escaped, inside '...'
 * a quote closes and reopens. Inside a here-document (a value holding the delimiter ends it)
 * or legacy backticks (a value holding a backtick ends them) no quoting is safe: refused.
 */
export type ShellContext = 'bare' | 'double' | 'single' | 'heredoc' | 'backtick';

/** Why an interpolation cannot be placed, or undefined when it can. */
export const REFUSED: Partial<Record<ShellContext, string>> = {
  heredoc: 'is inside a here-document, where no quoting is safe: pass it as an env variable of the step',
  backtick: 'is inside `backticks`, where no quoting is safe: use $(...) instead',
};

const HEREDOC_START = /^<<-?[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;

type Frame = 'bare' | 'double' | 'single' | 'subst' | 'backtick';

const CONTEXT_OF: Record<Frame, ShellContext> = {
  bare: 'bare', subst: 'bare', backtick: 'backtick', double: 'double', single: 'single',
};

/**
 * A small state machine fed the author's literal text in order. Quotes and command
 * substitutions nest (`"$(cmd "$x")"`), so it keeps a stack of frames.
 */
export class ShellScanner {
  private frames: Frame[] = ['bare'];
  private escaped = false;
  private pendingHeredoc: string[] = [];
  private heredoc: string | undefined;
  private line = '';

  get context(): ShellContext {
    return this.heredoc !== undefined ? 'heredoc' : CONTEXT_OF[this.top];
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.heredoc !== undefined) this.feedHeredoc(ch);
      else if (this.escaped) this.escaped = false;
      else if (this.top === 'single') {
        if (ch === "'") this.frames.pop();
      } else if (ch === '\\') this.escaped = true;
      else if (ch === '$' && text[i + 1] === '(') {
        this.frames.push('subst');
        i++;
      } else if (ch === '`') {
        if (this.top === 'backtick') this.frames.pop();
        else this.frames.push('backtick');
      } else if (this.top === 'double') {
        if (ch === '"') this.frames.pop();
      } else if (ch === "'") this.frames.push('single');
      else if (ch === '"') this.frames.push('double');
      else if (ch === ')' && this.top === 'subst') this.frames.pop();
      else if (ch === '<') i += this.heredocStart(text.slice(i));
      else if (ch === '\n' && this.pendingHeredoc.length) {
        this.heredoc = this.pendingHeredoc.shift();
        this.line = '';
      }
    }
  }

  /** Notes a here-document that starts at the next line; returns the characters consumed. */
  private heredocStart(rest: string): number {
    const match = HEREDOC_START.exec(rest);
    if (!match) return 0;
    this.pendingHeredoc.push(match[2]!);
    return match[0].length - 1;
  }

  private feedHeredoc(ch: string): void {
    this.line += ch;
    if (ch !== '\n') return;
    if (this.line.replace(/^\t+/, '').trimEnd() === this.heredoc) this.heredoc = this.pendingHeredoc.shift();
    this.line = '';
  }
}

const SAFE_WORD = /^[A-Za-z0-9_\/.,:=+@%^-]+$/;

/** Quotes `text` so that, at `context`, the shell reads it as data and nothing else. */
export function quoteFor(context: 'bare' | 'double' | 'single', text: string): string {
  switch (context) {
    case 'bare':
      return SAFE_WORD.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
    case 'double':
      return text.replace(/[\\$`"]/g, '\\$&');
    case 'single':
      return text.replace(/'/g, `'\\''`);
  }
}
