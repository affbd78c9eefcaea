import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { packageFile } from '../package-files.js';

const resolvePackage = createRequire(import.meta.url).resolve;
// The page's own files ship in the package next to the compiled code (package.json `files`).
const PAGE_DIR = packageFile('engine', 'dashboard', 'assets', '/');
const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };
// A plain file name only: no folder, no `..`, so nothing outside the page's folder is reachable.
const PAGE_FILE = /^\/assets\/([\w-]+)\.(js|css)$/;

/** The chart library, served from its npm package (pinned in package.json). */
const VENDOR: Record<string, string> = {
  '/assets/vendor/uplot.js': 'uplot/dist/uPlot.iife.min.js',
  '/assets/vendor/uplot.css': 'uplot/dist/uPlot.min.css',
};

function fileOf(pathname: string): { file: string; type: string } | undefined {
  if (pathname === '/') return { file: `${PAGE_DIR}index.html`, type: TYPES.html! };
  const vendor = VENDOR[pathname];
  if (vendor) return { file: resolvePackage(vendor), type: TYPES[vendor.split('.').at(-1)!]! };
  const match = PAGE_FILE.exec(pathname);
  return match ? { file: `${PAGE_DIR}${match[1]}.${match[2]}`, type: TYPES[match[2]!]! } : undefined;
}

/** Every file the page loads, all from the package (nothing from the internet), read when asked. */
export async function asset(pathname: string): Promise<{ body: Buffer; type: string } | undefined> {
  const found = fileOf(pathname);
  if (!found) return undefined;
  try {
    return { body: await readFile(found.file), type: found.type };
  } catch {
    return undefined;
  }
}
