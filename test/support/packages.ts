import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, cliEnv, ROOT, tempDir } from './cli.js';

/** The npm packages each file of the bundle holds (written by `npm run build`). */
function bundled(): Record<string, string[]> {
  return JSON.parse(readFileSync(path.join(ROOT, 'dist', 'packages.json'), 'utf8')) as Record<string, string[]>;
}

/**
 * The npm packages (`pg`, `@inquirer/confirm`) a CLI invocation loaded, traced as it runs (as
 * `node bin/runbook`: a run from the start-up snapshot cannot be traced): those loaded from
 * node_modules, and those inside the chunks of the bundle it loaded; and node's own modules it imported. With `state`, the run keeps
 * that state folder (its check cache): a second call sees an unchanged playbook.
 */
export function packagesLoaded(args: string[], opts: { state?: string } = {}): { packages: Set<string>; fromNodeModules: Set<string>; bundleFiles: string[]; builtins: Set<string>; stderr: string } {
  const work = tempDir();
  try {
    const trace = path.join(work.dir, 'trace');
    const result = spawnSync(process.execPath, ['--import', path.join(ROOT, 'test/support/trace-imports.mjs'), BIN, ...args], {
      cwd: ROOT, env: cliEnv(opts.state ?? path.join(work.dir, 'state'), { TRACE_IMPORTS_FILE: trace }), encoding: 'utf8',
    });
    const inBundle = bundled();
    const dist = path.join(ROOT, 'dist') + path.sep;
    const files = readFileSync(trace, 'utf8').split('\n').map((url) => (url.startsWith('file:') ? fileURLToPath(url) : url));
    const fromNodeModules = files.flatMap((file) => {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      return match ? [match[1]!] : [];
    });
    const bundleFiles = files.filter((file) => file.startsWith(dist)).map((file) => file.slice(dist.length));
    const packages = [...fromNodeModules, ...bundleFiles.flatMap((file) => inBundle[file] ?? [])];
    return { packages: new Set(packages), fromNodeModules: new Set(fromNodeModules), bundleFiles, builtins: new Set(files.filter((file) => file.startsWith('node:'))), stderr: result.stderr };
  } finally {
    work.remove();
  }
}

/** Folders 0755 and files readable by all (a CI umask of 077 makes them the owner's alone). */
function openToAll(target: string): void {
  const stats = statSync(target);
  chmodSync(target, stats.isDirectory() ? 0o755 : stats.mode | 0o444 | (stats.mode & 0o100 ? 0o055 : 0));
  if (stats.isDirectory()) for (const name of readdirSync(target)) openToAll(path.join(target, name));
}

export interface ReadableCopy {
  /** The copy's bin/runbook. */
  bin: string;
  /** Its playbook folder, holding the playbooks given. */
  playbooks: string;
  /** A state folder anyone may write. */
  state: string;
  remove(): void;
}

/**
 * The built CLI copied where another user (`nobody`) can read it: CI clones the checkout into a
 * folder of its choosing, often 0700, and such a user cannot reach anything below it. Holds
 * what the package ships, the npm packages `args` loads (traced in a run as the current user)
 * and the `playbooks` files. Under /tmp, not TMPDIR: that can be private too.
 */
export function readableCopy(opts: { args: string[]; playbooks: string[] }): ReadableCopy {
  const root = mkdtempSync('/tmp/runbook-readable-');
  const copy = (from: string, to = from) => cpSync(path.join(ROOT, from), path.join(root, to), { recursive: true });
  // What the package ships (package.json `files`), as an install would have it.
  const shipped = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
  for (const part of ['package.json', ...shipped.filter((part) => !part.startsWith('!'))]) copy(part);
  // The bundle holds the rest; pm2's API and the like are loaded from node_modules.
  for (const name of packagesLoaded(opts.args).fromNodeModules) copy(path.join('node_modules', name));
  const books = path.join(root, 'books');
  const state = path.join(root, 'state');
  mkdirSync(books);
  mkdirSync(state);
  for (const file of opts.playbooks) cpSync(file, path.join(books, path.basename(file)));
  openToAll(root);
  chmodSync(state, 0o777);
  return { bin: path.join(root, 'bin', 'runbook'), playbooks: books, state, remove: () => rmSync(root, { recursive: true, force: true }) };
}
