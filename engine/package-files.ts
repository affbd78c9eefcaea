import path from 'node:path';
import { fileURLToPath } from 'node:url';

// This module sits one folder below the package root wherever the code runs from: engine/ (the
// TypeScript source, under tsx or vitest) and dist/ (the bundle, every chunk in that one folder).
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A file the package ships (package.json, playbooks, schemas, bin, the dashboard's page), by its path in the package. */
export function packageFile(...parts: string[]): string {
  return path.join(ROOT, ...parts);
}
