/**
 * Finds matches in one chunk: `inChunk` gives a search from a byte offset to the next match, or
 * -1. A plain word is searched in the raw bytes (as fast as grep); a regular expression runs on
 * the chunk decoded as latin1, where one character is one byte, so its offsets are bytes too.
 */
export interface Matcher {
  inChunk(chunk: Buffer, end: number): (from: number) => number;
}

const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

export function matcher(pattern: string, ignoreCase: boolean): Matcher {
  if (!ignoreCase && !REGEX_SYNTAX.test(pattern)) {
    const needle = Buffer.from(pattern, 'utf8');
    return { inChunk: (chunk, end) => (from) => {
      const at = chunk.indexOf(needle, from);
      return at >= 0 && at + needle.length <= end ? at : -1;
    } };
  }
  // Written as its UTF-8 bytes, so a non-ASCII character in the pattern still matches (though
  // `ignore_case` folds such characters byte by byte, which only ASCII letters survive exactly).
  const regex = new RegExp(Buffer.from(pattern, 'utf8').toString('latin1'), ignoreCase ? 'gim' : 'gm');
  return { inChunk: (chunk, end) => {
    const text = chunk.toString('latin1', 0, end);
    return (from) => {
      regex.lastIndex = from;
      return regex.exec(text)?.index ?? -1;
    };
  } };
}
