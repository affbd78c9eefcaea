/**
 * The characters a whole value accepted by a param's `pattern` can contain, or null when that
 * cannot be proven: the pattern must be anchored at both ends (`^...$`, every top-level
 * alternative) and built from literals, classes (`[a-z_]`, `\w`, `\d`) and groups. Anything
 * else (`.`, negated classes, `\S`, back-references) proves nothing. Params are tested with
 * `new RegExp(pattern)`, so the value must match at both anchors to be known whole.
 */
export function alphabetOf(pattern: string): Set<string> | null {
  try {
    return new Parser(pattern).alphabet();
  } catch {
    return null;
  }
}

const CLASS_ESCAPES: Record<string, string> = {
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  d: '0123456789',
};
const MAX_RANGE = 256;

class Unprovable extends Error {}

class Parser {
  private i = 0;
  private chars = new Set<string>();

  constructor(private readonly src: string) {}

  alphabet(): Set<string> {
    for (const branch of this.topLevelBranches()) {
      if (!branch.startsWith('^') || !/(?<!\\)(?:\\\\)*\$$/.test(branch)) throw new Unprovable();
    }
    this.sequence(false);
    if (this.i !== this.src.length) throw new Unprovable();
    return this.chars;
  }

  /** The pattern split at `|` outside groups and classes, to check each is anchored. */
  private topLevelBranches(): string[] {
    const branches: string[] = [];
    let depth = 0;
    let inClass = false;
    let start = 0;
    for (let i = 0; i < this.src.length; i++) {
      const ch = this.src[i];
      if (ch === '\\') i++;
      else if (inClass) inClass = ch !== ']';
      else if (ch === '[') inClass = true;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === '|' && depth === 0) {
        branches.push(this.src.slice(start, i));
        start = i + 1;
      }
    }
    return [...branches, this.src.slice(start)];
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private sequence(inGroup: boolean): void {
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!;
      if (ch === ')' && inGroup) return;
      this.i++;
      if (ch === '^' || ch === '$' || ch === '|') continue;
      if (ch === '(') this.group();
      else if (ch === '[') this.charClass();
      else if (ch === '\\') this.escape(false);
      else if ('*+?'.includes(ch)) this.lazy();
      else if (ch === '{') this.counted();
      else if (ch === '.' || ch === ')' || ch === ']' || ch === '}') throw new Unprovable();
      else this.chars.add(ch);
    }
  }

  private group(): void {
    if (this.peek() === '?') {
      const kind = this.src.slice(this.i, this.i + 3);
      // Non-capturing groups hold characters; lookarounds consume none.
      if (kind.startsWith('?:')) this.i += 2;
      else if (kind.startsWith('?=') || kind.startsWith('?!')) return this.skipLookaround(2);
      else if (kind === '?<=' || kind === '?<!') return this.skipLookaround(3);
      else throw new Unprovable();
    }
    this.sequence(true);
    if (this.src[this.i++] !== ')') throw new Unprovable();
  }

  private skipLookaround(prefix: number): void {
    const saved = this.chars;
    this.chars = new Set();
    this.i += prefix;
    this.sequence(true);
    this.chars = saved;
    if (this.src[this.i++] !== ')') throw new Unprovable();
  }

  private escape(inClass: boolean): string[] {
    const ch = this.src[this.i++];
    if (ch === undefined) throw new Unprovable();
    const known = CLASS_ESCAPES[ch];
    const chars = known ? [...known] : /[\\^$.*+?()[\]{}|\/\-]/.test(ch) ? [ch] : ch === 'b' && !inClass ? [] : null;
    if (chars === null) throw new Unprovable(); // \W \S \s \D \n \x.. \u.. back-references...
    if (!inClass) chars.forEach((c) => this.chars.add(c));
    return chars;
  }

  private charClass(): void {
    if (this.peek() === '^') throw new Unprovable();
    const members: string[] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new Unprovable();
      const ch = this.src[this.i++]!;
      const from = ch === '\\' ? this.escape(true) : [ch];
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && from.length === 1) {
        this.i++;
        const next = this.src[this.i++]!;
        const to = next === '\\' ? this.escape(true) : [next];
        if (to.length !== 1) throw new Unprovable();
        members.push(...range(from[0]!, to[0]!));
      } else members.push(...from);
    }
    this.i++;
    members.forEach((c) => this.chars.add(c));
  }

  private counted(): void {
    const match = /^\d+(,\d*)?\}/.exec(this.src.slice(this.i));
    if (!match) throw new Unprovable();
    this.i += match[0].length;
    this.lazy();
  }

  private lazy(): void {
    if (this.peek() === '?') this.i++;
  }
}

function range(from: string, to: string): string[] {
  const [a, b] = [from.codePointAt(0)!, to.codePointAt(0)!];
  if (b < a || b - a > MAX_RANGE) throw new Unprovable();
  return Array.from({ length: b - a + 1 }, (_, k) => String.fromCodePoint(a + k));
}
