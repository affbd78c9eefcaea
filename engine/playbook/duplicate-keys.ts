import { isMap, isScalar, visit, type Document } from 'yaml';

/**
 * The offsets of keys repeated in a mapping. yaml's own `uniqueKeys` check compares each key with
 * every earlier one (100k keys took minutes); a set per mapping makes it linear. Scalar keys
 * compare by value (1 and '1' differ, as in yaml); complex keys are never equal, as in yaml.
 */
export function duplicateKeyOffsets(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) offsets.push(key.range?.[0] ?? 0);
        seen.add(key.value);
      }
    },
  });
  return offsets;
}
