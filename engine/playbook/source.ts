import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import { duplicateKeyOffsets } from './duplicate-keys.js';
import type { Problem } from './problems.js';
import { withYamlHint } from './yaml-hints.js';

export type Path = (string | number)[];

/** A YAML file parsed with source positions, so any path inside it maps to a line and column. */
export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: false });
  }

  /** YAML syntax errors (and duplicate keys), as problems. */
  syntaxProblems(): Problem[] {
    const at = (offset: number, message: string): Problem => ({ file: this.file, ...this.lines.linePos(offset), message });
    return [
      ...this.doc.errors.map((error) => at(error.pos[0], withYamlHint(error.code, error.message.split('\n')[0]!))),
      ...duplicateKeyOffsets(this.doc).map((offset) => at(offset, 'Map keys must be unique')),
    ].sort((a, b) => a.line - b.line || a.col - b.col);
  }

  /** A problem at `path`; `key` points at the key of the last segment rather than its value. */
  problemAt(path: Path, message: string, opts: { key?: boolean } = {}): Problem {
    const { line, col } = this.lines.linePos(this.offsetOf(path, opts.key ?? false));
    return { file: this.file, line, col, message };
  }

  /** The deepest node that exists along `path`, and its start offset. */
  private offsetOf(path: Path, key: boolean): number {
    let offset = this.doc.contents?.range?.[0] ?? 0;
    let node: unknown = this.doc.contents;
    for (const [i, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
        if (!pair) return offset;
        const last = i === path.length - 1;
        const keyNode = pair.key as Node;
        if (last && key) return keyNode.range?.[0] ?? offset;
        node = pair.value;
        offset = (node as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      } else if (node && typeof node === 'object' && 'items' in node && typeof segment === 'number') {
        node = (node as { items: Node[] }).items[segment];
        if (!node) return offset;
        offset = (node as Node).range?.[0] ?? offset;
      } else {
        return offset;
      }
    }
    return offset;
  }

  /** The document as plain data. */
  data(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }
}
