import { distance } from 'fastest-levenshtein';

/**
 * The known names closest to `name` (all at the best distance), for "did you mean". A name also matches by its last
 * `/` segment, so `swap-thrash` finds `emergency/swap-thrash`.
 */
export function similar(name: string, known: Iterable<string>, max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored = [...new Set(known)].flatMap((candidate) => {
    const lower = candidate.toLowerCase();
    const last = lower.slice(lower.lastIndexOf('/') + 1);
    const score = Math.min(distance(wanted, lower), distance(wanted, last));
    return score <= limit && candidate !== name ? [{ candidate, score }] : [];
  });
  const best = Math.min(...scored.map((s) => s.score));
  return scored.filter((s) => s.score === best).slice(0, max).map((s) => s.candidate);
}

/** ` (did you mean \`a\` or \`b\`?)`, or nothing when no known name is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const close = similar(name, known);
  return close.length ? ` (did you mean ${close.map((c) => `\`${c}\``).join(' or ')}?)` : '';
}
