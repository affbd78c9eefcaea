/**
 * FNV-1a over a string's UTF-16 units, as 8 hex digits: a short stable name for a longer text
 * (a cache file, a lock's name). Not for secrets, and not collision-proof: the texts it names
 * are compared or keyed again where that matters.
 */
export function textHash(text: string, seed = 0x811c9dc5): string {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
