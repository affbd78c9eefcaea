import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/** Every .ts file below `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('layers', () => {
  it('step types import nothing from the engine runtime (run/): what they may use comes through their context', () => {
    const steps = path.join(ROOT, 'engine', 'steps');
    const reaching = sources(steps).flatMap((file) => {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((match) => path.resolve(path.dirname(file), match[1]!));
      return imports.filter((target) => target.startsWith(path.join(ROOT, 'engine', 'run') + path.sep)).map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`);
    });
    expect(reaching).toEqual([]);
  });
});
