import { open } from 'node:fs/promises';

const BLOCK = 64 * 1024;

/**
 * The lines of a file from the last to the first, read in blocks from its end: the recent part
 * of a log of any size costs only its tail. A missing file has no lines.
 */
export async function* linesBackward(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    let position = (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    let atEnd = true;
    while (position > 0) {
      const size = Math.min(BLOCK, position);
      position -= size;
      const block = Buffer.allocUnsafe(size);
      await handle.read(block, 0, size, position);
      const text = Buffer.concat([block, carry]);
      let end = text.length;
      for (let nl = text.lastIndexOf(10, end - 1); nl >= 0; nl = text.lastIndexOf(10, end - 1)) {
        // The newline that ends the file ends its last line: no empty line after it.
        if (!(atEnd && nl === end - 1)) yield text.toString('utf8', nl + 1, end);
        atEnd = false;
        end = nl;
      }
      carry = text.subarray(0, end);
    }
    if (carry.length > 0 || !atEnd) yield carry.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The last `count` lines of a file, oldest first. */
export async function lastLines(file: string, count: number): Promise<string[]> {
  const lines: string[] = [];
  if (count <= 0) return lines;
  for await (const line of linesBackward(file)) {
    lines.unshift(line);
    if (lines.length === count) break;
  }
  return lines;
}
