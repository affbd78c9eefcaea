import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The page's own files ship in the package next to the compiled code (package.json `files`).
const PAGE = (name: string) => fileURLToPath(new URL(`../../engine/dashboard/assets/${name}`, import.meta.url));

/** Every file the page loads, all from the package: the page needs nothing from the internet. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => PAGE('index.html'), type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: () => PAGE('app.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: () => PAGE('app.css'), type: 'text/css; charset=utf-8' },
  '/assets/uplot.js': { file: () => require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/uplot.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** A page file by its path, read when asked (nothing held in memory while idle). */
export async function asset(pathname: string): Promise<{ body: Buffer; type: string } | undefined> {
  const found = ASSETS[pathname];
  return found && { body: await readFile(found.file()), type: found.type };
}
