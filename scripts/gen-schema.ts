// Generates, from the step types' schema parts (engine/playbook/schema.ts):
//   schemas/playbook.schema.json        the format, for editors and readers
//   schemas/playbook.validate.cjs       a precompiled validator (compiling at start-up costs ~70 ms)
//   engine/playbook/types.generated.ts  the TypeScript types of a playbook
//   docs/reference.md                   the reference `runbook doc` prints (engine/doc/)
// `test/playbook/generated.test.ts` fails when any of them is stale.
import { writeFileSync } from 'node:fs';
import { generatedFiles } from './generated.js';

for (const [path, text] of Object.entries(await generatedFiles())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), text);
  console.log(`wrote ${path}`);
}
