import type { Path } from './source.js';
import type { Playbook } from './types.generated.js';

// Names every JavaScript object answers to: a param named `constructor` would read as a function.
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Refuses a declared param, var or env name that every object has (`constructor`, `__proto__`...). */
export function checkInputNames(playbook: Playbook, report: (path: Path, message: string, opts?: { key?: boolean }) => void): void {
  for (const root of ['params', 'vars', 'env'] as const) {
    for (const name of Object.keys(playbook[root] ?? {})) {
      if (INHERITED.has(name)) report([root, name], `\`${root}.${name}\` cannot be declared: every JavaScript object has \`${name}\`; use another name`, { key: true });
    }
  }
}
