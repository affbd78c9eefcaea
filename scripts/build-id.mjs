// The build's id: a hash of everything the bundle is made from (scripts/build.mjs defines it in the
// bundle). The check cache (engine/playbook/check-cache.ts) keeps verdicts only for the build that
// reached them; the bench's programs that read those verdicts are built with the same id.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The id of the build of the package in `root` (its files named relative to it, as the hash has them). */
export function buildId(root = '.') {
  const hash = createHash('sha256');
  const inputs = ['package-lock.json', 'scripts/build.mjs', ...['engine', 'schemas'].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name))))];
  for (const file of inputs.sort()) hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex').slice(0, 32);
}
