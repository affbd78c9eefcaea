import { type Arg, CLOSING_KEYWORDS, codeVariable, LEADING_KEYWORDS, runsCode, UNMODELED_KEYWORDS } from './commands.js';
import { expansionRunsCode } from './expansions.js';

/** Marks where a template's value goes in the text handed to the scanner. */
export const SLOT = '\u0000';

export type Quote = 'bare' | 'double' | 'single';
/** `sh` is dash (POSIX); bash reads `[[`, `$'...'`, `&>`, `<<<`, `((` and `<(` its own way. */
export type Dialect = 'sh' | 'bash';

/** Where a value lands, when the scanner knows it for certain. */
export interface Place {
  quote: Quote;
  /** It is (part of) the word that names the command to run. */
  commandName: boolean;
  /** It starts a word, with no `--` before it in its command: a value `-x` would be an option. */
  optionPosition: boolean;
}

export type Placement = Place | { refused: string };

export interface ShellScan {
  /** One per slot, in order. */
  placements: Placement[];
  /** Why the text runs code from its arguments, input or variables (`sh -c`, `awk`...), if it does. */
  runsCode?: string;
}

interface Word {
  /** The word's literal text after quote removal; null once an expansion or a value is part of it. */
  text: string | null;
  role: 'head' | 'arg' | 'target';
  quoted: boolean;
  /** Nothing read yet but (possibly) an opening quote. */
  empty: boolean;
  /** The literal text before the first expansion or value. */
  prefix: string;
}

/** The NAME of a word `NAME=...` with a literal NAME, whatever its value. */
function assignedName(word: Word): string | undefined {
  return ASSIGNMENT.exec(word.prefix)?.[1];
}

/** One simple command being read: its name, arguments, and what the next word will be. */
interface Command {
  /** undefined while only assignments, redirections or keywords were seen. */
  name?: string | null;
  args: Arg[];
  word?: Word;
  /** The next word is a redirection target (`dup`: of `>&`/`<&`), or a here-document's delimiter. */
  target?: 'file' | 'dup' | 'heredoc' | 'heredoc-tabs';
  dashDash: boolean;
  /** After bash's `time` keyword, whose `-p` is not a command. */
  timed?: boolean;
}

interface Heredoc {
  delimiter: string;
  tabs: boolean;
  /** `<<'EOF'`: the body is text; unquoted, it is expanded. */
  quoted: boolean;
  line: string;
}

type Frame =
  | { kind: 'code'; closer: ')' | ']]' | null; cmd: Command }
  | { kind: 'double' | 'single' | 'ansi' | 'backtick' | 'comment' }
  | { kind: 'param' | 'arith'; depth: number; content: string };

type CodeFrame = Extract<Frame, { kind: 'code' }>;

// What an unmodeled place is called in a refusal.
const INSIDE: Record<string, string> = {
  ansi: "inside bash's $'...'",
  backtick: 'inside `backticks`',
  comment: 'inside a # comment',
  param: 'inside ${...}',
  arith: 'inside arithmetic $((...)) or ((...))',
};
const BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/;
const SUBSCRIPT = /^[A-Za-z_][A-Za-z0-9_]*\[/;

function newCommand(): Command {
  return { args: [], dashDash: false };
}

/**
 * Reads shell text the way /bin/sh (dash) or bash would, far enough to say for every slot
 * whether it sits in a word of a simple command or a plain "..." string (at the top level or
 * inside a `$(...)` it fully parses), in '...', or somewhere it cannot be sure of. An allowlist:
 * every construct it does not model refuses the slots inside it, and one whose end it cannot
 * find (case, functions, arrays) refuses every slot after it and counts as running code (what
 * it hides could be `eval "$x"`).
 */
export function scanShell(text: string, dialect: Dialect): ShellScan {
  return new Scanner(text, dialect).scan();
}

class Scanner {
  private frames: Frame[] = [{ kind: 'code', closer: null, cmd: newCommand() }];
  private placements: Placement[] = [];
  private runs?: string;
  private lost?: string;
  private escaped = false;
  private heredocs: Heredoc[] = [];
  private heredoc?: Heredoc;
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
  ) {}

  scan(): ShellScan {
    while (this.i < this.text.length) {
      const ch = this.text[this.i]!;
      if (ch === SLOT) this.slot();
      else if (this.lost === undefined) this.char(ch);
      this.i++;
    }
    if (this.lost === undefined) this.endAll();
    return { placements: this.placements, runsCode: this.runs };
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** The innermost code frame: the command the current word belongs to. */
  private get code(): CodeFrame {
    for (let f = this.frames.length - 1; ; f--) if (this.frames[f]!.kind === 'code') return this.frames[f] as CodeFrame;
  }

  private ahead(n = 1): string {
    return this.text[this.i + n] ?? '';
  }

  private runsCode(why: string): void {
    this.runs ??= why;
  }

  private lose(why: string): void {
    this.lost ??= `comes after ${why}, which runbook cannot read for certain`;
    this.runsCode(`${why}, which runbook cannot read for certain`);
  }

  // ---- slots ----

  private slot(): void {
    const placement = this.place();
    this.placements.push(placement);
    if (this.heredoc) this.heredoc.line += SLOT;
    else if (this.lost === undefined && !('refused' in placement)) this.wordChar(null);
    this.escaped = false;
  }

  /** The character before position `i`, skipping line continuations (backslash-newline). */
  private before(): string {
    let j = this.i - 1;
    while (this.text[j] === '\n' && this.text[j - 1] === '\\') j -= 2;
    return this.text[j] ?? '';
  }

  private place(): Placement {
    if (this.lost) return { refused: this.lost };
    if (this.heredoc) return { refused: 'is inside a here-document' };
    if (this.escaped) return { refused: 'comes right after a backslash, which would escape its first character' };
    const frame = this.top;
    if (this.before() === '$' && frame.kind !== 'single') return { refused: 'comes right after a $' };
    if (frame.kind !== 'code' && frame.kind !== 'double' && frame.kind !== 'single') return { refused: `is ${INSIDE[frame.kind]}` };
    const cmd = this.code.cmd;
    if (cmd.target === 'heredoc' || cmd.target === 'heredoc-tabs') return { refused: "is part of a here-document's delimiter" };
    const word = cmd.word;
    const head = word ? word.role === 'head' : cmd.target === undefined && cmd.name === undefined;
    if (head && SUBSCRIPT.test(word?.text ?? '')) return { refused: 'is inside an array subscript, which bash evaluates as arithmetic' };
    const assigns = word && assignedName(word);
    if (assigns && codeVariable(assigns)) return { refused: `is assigned to ${assigns}, whose value a program runs as code` };
    return {
      quote: frame.kind === 'code' ? 'bare' : frame.kind,
      commandName: head && !assigns && this.code.closer !== ']]',
      optionPosition: (!word || word.empty) && !cmd.dashDash,
    };
  }

  // ---- characters ----

  private char(ch: string): void {
    if (this.heredoc) return this.heredocChar(ch);
    const frame = this.top;
    if (this.escaped) {
      this.escaped = false;
      if (ch !== '\n' || (frame.kind !== 'code' && frame.kind !== 'double')) this.wordChar(frame.kind === 'ansi' || frame.kind === 'backtick' ? null : ch, true);
      return;
    }
    switch (frame.kind) {
      case 'code':
        return this.codeChar(ch, frame);
      case 'double':
        return this.doubleChar(ch);
      case 'single':
        return ch === "'" ? void this.frames.pop() : this.wordChar(ch);
      case 'ansi':
      case 'backtick':
        if (ch === '\\') this.escaped = true;
        else if (ch === (frame.kind === 'ansi' ? "'" : '`')) this.frames.pop();
        return;
      case 'comment':
        if (ch === '\n') {
          this.frames.pop();
          this.codeChar(ch, this.top as CodeFrame);
        }
        return;
      case 'param':
      case 'arith':
        return this.skipChar(ch, frame);
    }
  }

  private codeChar(ch: string, frame: CodeFrame): void {
    const cmd = frame.cmd;
    const inDoubleBracket = frame.closer === ']]';
    if (ch === '\\') {
      this.escaped = true;
      return;
    }
    if (ch === '#' && !cmd.word) return void this.frames.push({ kind: 'comment' });
    if (ch === '$') return this.dollar();
    if (ch === '`') return this.backtick();
    if (ch === "'" || ch === '"') {
      this.wordChar('', true);
      return void this.frames.push({ kind: ch === "'" ? 'single' : 'double' });
    }
    if (!BREAK.has(ch)) return this.wordChar(ch);
    if (ch === '(' && cmd.word && !inDoubleBracket) return this.lose('a `(` right after a word (an array, a function or a pattern)');
    // A word ends here.
    if ((ch === '<' || ch === '>') && cmd.word && !cmd.word.quoted && /^\d+$/.test(cmd.word.text ?? '')) cmd.word = undefined; // `2>`: an fd
    this.endWord(frame);
    if (this.lost) return;
    if (inDoubleBracket) return; // inside [[ ]], ( ) < > && || are its own operators
    if (ch === ' ' || ch === '\t') return;
    if (ch === '<' || ch === '>') return this.redirection(ch, cmd);
    if (ch === '(') return this.openParen(frame);
    if (ch === ')') return this.closeParen(frame);
    if (ch === ';' && (this.ahead() === ';' || this.ahead() === '&')) return this.lose('a `case` branch (;; or ;&)');
    if (ch === '&' && this.ahead() === '>') {
      // bash: `&>file`; dash: `&` then `>file`.
      return this.lose('`&>` (sh and bash read it differently: write > FILE 2>&1)');
    }
    this.endCommand(frame);
    if (ch === '\n') this.startHeredoc();
  }

  private backtick(): void {
    this.wordChar(null);
    this.frames.push({ kind: 'backtick' });
    this.runsCode('`backticks`, which runbook does not read');
  }

  private dollar(): void {
    const next = this.ahead();
    const inDouble = this.top.kind === 'double';
    this.wordChar(null);
    if (next === '(' && this.ahead(2) === '(') {
      this.i += 2;
      this.arithmetic();
    } else if (next === '(') {
      this.i += 1;
      this.frames.push({ kind: 'code', closer: ')', cmd: newCommand() });
    } else if (next === '{') {
      this.i += 1;
      this.frames.push({ kind: 'param', depth: 1, content: '' });
    } else if (next === "'" && !inDouble) {
      // bash's $'...' has backslash escapes; dash reads a `$` and a plain '...'.
      if (this.dialect === 'sh') return this.lose("`$'...'` (sh and bash read it differently)");
      this.i += 1;
      this.frames.push({ kind: 'ansi' });
    } else if (next === '"' && !inDouble) {
      this.i += 1;
      this.frames.push({ kind: 'double' });
    } else if (next === '[') {
      this.lose('a $[...] arithmetic expansion');
    }
  }

  private doubleChar(ch: string): void {
    if (ch === '"') this.frames.pop();
    else if (ch === '\\') this.escaped = true;
    else if (ch === '$') this.dollar();
    else if (ch === '`') this.backtick();
    else this.wordChar(ch);
  }

  /** Inside ${...} or $((...)): find the end; quotes or substitutions in there are not modeled. */
  private skipChar(ch: string, frame: { kind: 'param' | 'arith'; depth: number; content: string }): void {
    const [open, close] = frame.kind === 'param' ? ['{', '}'] : ['(', ')'];
    const substitution = ch === '$' && (this.ahead() === '(' || this.ahead() === '{');
    if (ch === "'" || ch === '"' || ch === '`' || ch === '\\' || substitution) return this.lose(`a quote or substitution ${INSIDE[frame.kind]}`);
    if (ch === open) frame.depth++;
    else if (ch === close && --frame.depth === 0) {
      this.frames.pop();
      if (frame.kind === 'param' && expansionRunsCode(frame.content)) this.runsCode(`\${${frame.content}}, which bash evaluates`);
      return;
    }
    frame.content += ch;
  }

  /** bash evaluates arithmetic recursively: a variable holding `a[$(id)]` runs id. */
  private arithmetic(): void {
    this.frames.push({ kind: 'arith', depth: 2, content: '' });
    this.runsCode('arithmetic ((...))');
  }

  // ---- here-documents ----

  private startHeredoc(): void {
    const next = this.heredocs.shift();
    this.heredoc = next && { ...next, line: '' };
  }

  private heredocChar(ch: string): void {
    const doc = this.heredoc!;
    if (ch !== '\n') {
      doc.line += ch;
      return;
    }
    const line = doc.tabs ? doc.line.replace(/^\t+/, '') : doc.line;
    if (line === doc.delimiter) return this.startHeredoc();
    if (!doc.quoted) {
      // An unquoted body is expanded: a substitution there runs (and dash reads it across lines).
      if (/\$\(|`/.test(doc.line)) return this.lose('a command substitution in a here-document');
      if (/(^|[^\\])(\\\\)*\\$/.test(doc.line)) return this.lose('a here-document line ending in \\ (it joins the next line)');
      if (doc.line.includes('${')) this.runsCode('a ${...} expansion in a here-document');
    }
    doc.line = '';
  }

  // ---- words and commands ----

  /** Adds to the current word (starting one); null for what is not literal text. */
  private wordChar(ch: string | null, quoted = false): void {
    const cmd = this.code.cmd;
    if (!cmd.word) {
      const role = cmd.target ? 'target' : cmd.name === undefined ? 'head' : 'arg';
      cmd.word = { text: '', role, quoted: false, empty: true, prefix: '' };
    }
    const word = cmd.word;
    if (quoted) word.quoted = true;
    if (ch === '') return;
    word.empty = false;
    word.text = ch === null || word.text === null ? null : word.text + ch;
    if (word.text !== null) word.prefix = word.text;
  }

  private endWord(frame: CodeFrame): void {
    const cmd = frame.cmd;
    const word = cmd.word;
    if (!word) return;
    cmd.word = undefined;
    const assigns = assignedName(word);
    if (assigns && codeVariable(assigns) && word.text === null) this.runsCode(`${assigns} set from a computed value`);
    if (word.role === 'target') return this.endTarget(word, cmd);
    if (frame.closer === ']]' && word.text === ']]' && !word.quoted) return this.closeDoubleBracket();
    if (word.role === 'arg') {
      cmd.args.push({ text: word.text, assignment: assigns !== undefined, prefix: word.prefix });
      // `--` ends options, except for find, whose expression follows it.
      if (word.text === '--' && cmd.name !== 'find') cmd.dashDash = true;
      return;
    }
    this.endHead(word, frame);
  }

  private endTarget(word: Word, cmd: Command): void {
    const target = cmd.target;
    cmd.target = undefined;
    if (target === 'dup' && word.text === null) this.runsCode('`>&` or `<&` with a computed target, which bash expands twice');
    if (target !== 'heredoc' && target !== 'heredoc-tabs') return;
    if (word.text === null) return this.lose('a here-document whose delimiter is not plain text');
    this.heredocs.push({ delimiter: word.text, tabs: target === 'heredoc-tabs', quoted: word.quoted, line: '' });
  }

  private endHead(word: Word, frame: CodeFrame): void {
    const cmd = frame.cmd;
    const text = word.quoted ? null : word.text;
    if (assignedName(word)) return; // `NAME=value cmd`: still before the name
    if (text === '-p' && cmd.timed) return;
    if (text !== null && LEADING_KEYWORDS.has(text) && !(text === 'time' && this.dialect === 'sh')) {
      cmd.timed = text === 'time' && this.dialect === 'bash';
      return;
    }
    if (text !== null && CLOSING_KEYWORDS.has(text)) {
      cmd.name = '';
      return;
    }
    if (text !== null && UNMODELED_KEYWORDS.has(text)) return this.lose(`\`${text}\``);
    if (text === '[[' && this.dialect === 'bash') {
      cmd.name = '[[';
      this.frames.push({ kind: 'code', closer: ']]', cmd: { name: '[[', args: [], dashDash: true } });
      return;
    }
    cmd.name = word.text;
  }

  private closeDoubleBracket(): void {
    this.endCommand(this.frames.pop() as CodeFrame);
  }

  private endCommand(frame: CodeFrame): void {
    const cmd = frame.cmd;
    if (cmd.target) return this.lose('a redirection without a target');
    if (cmd.name !== undefined && cmd.name !== '') {
      const why = runsCode(cmd.name, cmd.args);
      if (why) this.runsCode(why);
    }
    frame.cmd = newCommand();
  }

  private redirection(ch: string, cmd: Command): void {
    let op = ch;
    while ('<>&|-'.includes(this.ahead()) && this.ahead() !== '' && op.length < 3) {
      // `<(`/`>(` (process substitution) is handled as a `(` below; `<<-` is one operator.
      if (this.ahead() === '-' && op !== '<<') break;
      op += this.ahead();
      this.i++;
    }
    if (this.ahead() === '(' && op.length === 1) {
      if (this.dialect === 'sh') return this.lose('`<(` or `>(` (sh has neither)');
      this.i++;
      this.wordChar(null);
      this.frames.push({ kind: 'code', closer: ')', cmd: newCommand() });
      return;
    }
    if (op === '<<<' && this.dialect === 'sh') return this.lose('`<<<` (sh does not have it)');
    cmd.target = op === '<<' ? 'heredoc' : op === '<<-' ? 'heredoc-tabs' : op === '>&' || op === '<&' ? 'dup' : 'file';
  }

  private openParen(frame: CodeFrame): void {
    const cmd = frame.cmd;
    if (cmd.name !== undefined || cmd.args.length) return this.lose('a `(` after a word (a function, an array or a pattern)');
    // bash reads `((` as arithmetic; dash as two subshells.
    if (this.ahead() === '(' && this.dialect === 'bash') {
      this.i++;
      this.arithmetic();
      return;
    }
    cmd.name = '';
    this.frames.push({ kind: 'code', closer: ')', cmd: newCommand() });
  }

  private closeParen(frame: CodeFrame): void {
    if (frame.closer !== ')') return this.lose('a `)` that closes nothing');
    this.endCommand(frame);
    this.frames.pop();
  }

  private endAll(): void {
    if (this.top.kind === 'comment') this.frames.pop();
    if (!this.escaped && this.top.kind === 'code') this.endWord(this.top);
    if (this.lost) return;
    if (this.escaped || this.frames.length > 1 || this.heredocs.length) {
      // The shell would stop with a syntax error there, after running what came before.
      const refused = 'is in a command that leaves a quote, a $(...) or a here-document open';
      this.placements = this.placements.map((placement) => ('refused' in placement ? placement : { refused }));
      return;
    }
    this.endCommand(this.top as CodeFrame);
  }
}
