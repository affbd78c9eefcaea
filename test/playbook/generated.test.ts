import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/generated.js';
import { ROOT } from '../support/cli.js';

describe('generated files', () => {
  it('the schema, the precompiled validator, the TypeScript types and docs/reference.md match the step types (run `npm run gen`)', async () => {
    for (const [file, text] of Object.entries(await generatedFiles())) {
      expect(readFileSync(`${ROOT}/${file}`, 'utf8'), `${file} is stale: run npm run gen`).toBe(text);
    }
  });
});
