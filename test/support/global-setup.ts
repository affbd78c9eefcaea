import { existsSync } from 'node:fs';

// The caller's own settings must not reach the tests (in-process code reads process.env; the
// test workers inherit it): a developer's RUNBOOK_STATE_DIR or PM2_HOME, a CI's PG* defaults.
const CALLERS = /^(RUNBOOK_\w+|PM2_HOME|XDG_(STATE|CONFIG)_HOME|PG\w+|DATABASE_URL)$/;

/** The CLI under test is the compiled one (`npm test` builds first), as users run it. */
export default function setup(): void {
  if (!existsSync(new URL('../../dist/program.cjs', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the tests');
  }
  for (const name of Object.keys(process.env)) if (CALLERS.test(name)) delete process.env[name];
}
