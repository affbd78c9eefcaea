/**
 * Where in shell syntax an interpolation lands, so its value can be quoted for that place:
 * bare words get single quotes, inside "..." the special characters are escaped, inside '...'
 * a quote closes and reopens. Where no quoting is safe, interpolation is refused: inside a
 * here-document or a comment (a newline in the value ends them), legacy backticks (a backtick
 * ends them) and bash's $'...' (backslash escapes apply).
 */
export type ShellContext = 'bare' | 'double' | 'single' | 'heredoc' | 'backtick' | 'comment' | 'ansi';

/** Why an interpolation cannot be placed there, for the contexts where it cannot. */
export const REFUSED: Partial<Record<ShellContext, string>> = {
  heredoc: 'is inside a here-document, where no quoting is safe: pass it as an env variable of the step',
  backtick: 'is inside `backticks`, where no quoting is safe: use $(...) instead',
  comment: 'is inside a # comment, where a newline in the value would end the comment: move it out',
  ansi: "is inside $'...', where backslash escapes apply: use '...' or \"...\" instead",
};

// `<<WORD`, `<<-WORD`, `<<'WORD'`, `<<"WORD"`, `<<\WORD`.
const HEREDOC_START = /^<<-?[ \t]*\\?(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;
// A `#` starts a comment only at the start of a word.
const WORD_BREAK = /[\s;&|()<>]/;

type Frame = 'bare' | 'double' | 'single' | 'subst' | 'backtick' | 'ansi' | 'comment';

const CONTEXT_OF: Record<Frame, ShellContext> = {
  bare: 'bare', subst: 'bare', backtick: 'backtick', double: 'double', single: 'single', ansi: 'ansi', comment: 'comment',
};

interface State {
  frames: Frame[];
  escaped: boolean;
  pendingHeredoc: string[];
  heredoc: string | undefined;
  line: string;
  previous: string;
}

/**
 * A small state machine fed the author's literal text in order. Quotes and command
 * substitutions nest (`"$(cmd "$x")"`), so it keeps a stack of frames.
 */
export class ShellScanner {
  private s: State = { frames: ['bare'], escaped: false, pendingHeredoc: [], heredoc: undefined, line: '', previous: '\n' };

  get context(): ShellContext {
    return this.s.heredoc !== undefined ? 'heredoc' : CONTEXT_OF[this.top];
  }

  private get top(): Frame {
    return this.s.frames[this.s.frames.length - 1]!;
  }

  /** The whole state, to try the branches of a block from the same place. */
  snapshot(): string {
    return JSON.stringify(this.s);
  }

  /** The state that decides how later text is read (not the last character seen). */
  shape(): string {
    return JSON.stringify({ ...this.s, previous: undefined });
  }

  restore(snapshot: string): void {
    this.s = JSON.parse(snapshot) as State;
  }

  /** An interpolated value sits here: it is part of a word. */
  interpolated(): void {
    this.s.previous = 'x';
  }

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      i += this.step(text, i);
      this.s.previous = text[i]!;
    }
  }

  /** Consumes the character at `i`; returns how many extra characters it consumed. */
  private step(text: string, i: number): number {
    const s = this.s;
    const ch = text[i]!;
    if (s.heredoc !== undefined) return this.feedHeredoc(ch);
    if (s.escaped) {
      s.escaped = false;
      return 0;
    }
    switch (this.top) {
      case 'single':
        if (ch === "'") s.frames.pop();
        return 0;
      case 'comment':
        if (ch === '\n') this.pop();
        return 0;
      case 'ansi':
        if (ch === '\\') s.escaped = true;
        else if (ch === "'") s.frames.pop();
        return 0;
      default:
        return this.stepCode(text, i);
    }
  }

  /** Outside single quotes, comments and $'...': bare words, "...", $(...), backticks. */
  private stepCode(text: string, i: number): number {
    const s = this.s;
    const ch = text[i]!;
    const inDouble = this.top === 'double';
    if (ch === '\\') s.escaped = true;
    else if (ch === '$' && text[i + 1] === '(') return this.push('subst', 1);
    else if (ch === '$' && text[i + 1] === "'" && !inDouble) return this.push('ansi', 1);
    else if (ch === '`') this.top === 'backtick' ? s.frames.pop() : s.frames.push('backtick');
    else if (inDouble) {
      if (ch === '"') s.frames.pop();
    } else if (ch === "'") s.frames.push('single');
    else if (ch === '"') s.frames.push('double');
    else if (ch === '#' && WORD_BREAK.test(s.previous)) s.frames.push('comment');
    else if (ch === ')' && this.top === 'subst') s.frames.pop();
    else if (ch === '<' && s.previous !== '<') return this.heredocStart(text.slice(i));
    else if (ch === '\n') this.startPendingHeredoc();
    return 0;
  }

  private push(frame: Frame, consumed: number): number {
    this.s.frames.push(frame);
    return consumed;
  }

  /** A comment ends at a newline, which may also start a pending here-document. */
  private pop(): void {
    this.s.frames.pop();
    this.startPendingHeredoc();
  }

  private startPendingHeredoc(): void {
    if (!this.s.pendingHeredoc.length) return;
    this.s.heredoc = this.s.pendingHeredoc.shift();
    this.s.line = '';
  }

  /** Notes a here-document that starts at the next line; returns the characters consumed. */
  private heredocStart(rest: string): number {
    const match = HEREDOC_START.exec(rest);
    if (!match) return 0;
    this.s.pendingHeredoc.push(match[2]!);
    return match[0].length - 1;
  }

  private feedHeredoc(ch: string): number {
    const s = this.s;
    s.line += ch;
    if (ch !== '\n') return 0;
    if (s.line.replace(/^\t+/, '').trimEnd() === s.heredoc) s.heredoc = s.pendingHeredoc.shift();
    s.line = '';
    return 0;
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
