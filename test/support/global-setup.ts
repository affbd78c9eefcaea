import { existsSync } from 'node:fs';

/** The CLI under test is the compiled one (`npm test` builds first), as users run it. */
export default function setup(): void {
  if (!existsSync(new URL('../../dist/cli.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the tests');
  }
}
