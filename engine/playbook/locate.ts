import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { packageFile } from '../package-files.js';
import { nameProblem } from './name.js';

const EXTENSIONS = ['.yaml', '.yml'];
// By code unit: the first localeCompare of a process costs ~7 ms (ICU collator) on every list/validate.
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The playbooks that ship with the package. */
export const SHIPPED_DIR = packageFile('playbooks');

/**
 * Where playbooks are listed (and scheduled, and judged by status): the folder named by --dir,
 * else RUNBOOK_DIR, alone (the shipped ones join with `shipped`); with no folder named,
 * ./playbooks then the shipped ones. A folder means that folder: `runbook --dir mine cron` must
 * not schedule the shipped unattended restarts.
 */
export function playbookDirs(dir?: string, env: NodeJS.ProcessEnv = process.env, opts: { shipped?: boolean } = {}): string[] {
  const named = dir || env.RUNBOOK_DIR;
  const dirs = named ? [named, ...(opts.shipped ? [SHIPPED_DIR] : [])] : [path.resolve('playbooks'), SHIPPED_DIR];
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

/** The file of playbook `name`: in `dirs`, first match wins, else a shipped one asked for by name. */
export function findPlaybook(name: string, dirs: string[]): string | undefined {
  if (nameProblem(name)) return undefined;
  for (const dir of new Set([...dirs, SHIPPED_DIR])) {
    for (const ext of EXTENSIONS) {
      const file = path.join(dir, name + ext);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** The folder a playbook was found in: `emergency/swap-thrash` is two levels below it. */
export function folderOf({ name, file }: { name: string; file: string }): string {
  return name.split('/').reduce((dir) => path.dirname(dir), path.resolve(file));
}

/**
 * The name a playbook goes by however it was reached: its real path below the real path of the
 * folder it was found in, so a symlink to `slow.yaml` (or a linked folder on the way) shares
 * `slow`'s lock and history. A link that leads out of that folder keeps the name it was given.
 */
export function resolvedName(name: string, file: string): string {
  try {
    const folder = realpathSync(folderOf({ name, file }));
    const real = realpathSync(file);
    const ext = EXTENSIONS.find((e) => real.endsWith(e));
    const relative = path.relative(folder, real);
    if (!ext || relative.startsWith('..') || path.isAbsolute(relative)) return name;
    const resolved = relative.slice(0, -ext.length).split(path.sep).join('/');
    return nameProblem(resolved) ? name : resolved;
  } catch {
    return name;
  }
}

// A playbook folder holds tens of files a few folders deep; `--dir /` must not walk the disk.
const MAX_ENTRIES = 10_000;
const MAX_DEPTH = 8;

function tooBig(root: string): RunbookError {
  return new RunbookError('BAD_ARGUMENT', `${root} is not a playbook folder: more than ${MAX_ENTRIES} entries or ${MAX_DEPTH} levels of folders below it; give the folder holding the playbooks`);
}

// A subfolder this user cannot list (a root-only lost+found) holds nothing it could run: skipped.
function entriesOf(dir: string, root: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (dir !== root && (code === 'EACCES' || code === 'EPERM')) return [];
    throw new RunbookError('BAD_ARGUMENT', `cannot read the playbook folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * The playbook names below `root`: hidden entries (`.git`, editor files) are skipped, and folders
 * are not followed through symlinks (no loops). Files of any kind are named: reading one that is
 * not a regular file refuses it with a reason, which a silent skip would not give.
 */
function walk(root: string): { name: string; file: string }[] {
  if (!existsSync(root)) return [];
  let budget = MAX_ENTRIES;
  const visit = (dir: string, prefix: string, depth: number): { name: string; file: string }[] => {
    const entries = entriesOf(dir, root).filter((entry) => !entry.name.startsWith('.'));
    budget -= entries.length;
    if (budget < 0 || depth > MAX_DEPTH) throw tooBig(root);
    return entries.sort(byName).flatMap((entry) => {
      if (entry.isDirectory()) return visit(path.join(dir, entry.name), `${prefix}${entry.name}/`, depth + 1);
      const ext = EXTENSIONS.find((e) => entry.name.endsWith(e));
      return ext ? [{ name: `${prefix}${entry.name.slice(0, -ext.length)}`, file: path.join(dir, entry.name) }] : [];
    });
  };
  return visit(root, '', 0);
}

/** Every playbook visible from `dirs`, an earlier dir hiding a later one's playbook of the same name. */
export function listPlaybooks(dirs: string[]): { name: string; file: string }[] {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    for (const { name, file } of walk(dir)) if (!found.has(name)) found.set(name, file);
  }
  return [...found].map(([name, file]) => ({ name, file })).sort(byName);
}

/** The names to suggest from; none when a folder cannot be listed (that error belongs to `list`). */
export function knownNames(dirs: string[]): string[] {
  try {
    return listPlaybooks(dirs).map((p) => p.name);
  } catch (error) {
    if (error instanceof RunbookError) return [];
    throw error;
  }
}

/** The name of a playbook file: its path below the playbook dir holding it, without extension. */
export function nameOfFile(file: string, dirs: string[]): string {
  const absolute = path.resolve(file);
  const ext = EXTENSIONS.find((e) => absolute.endsWith(e)) ?? '';
  for (const dir of dirs) {
    const relative = path.relative(dir, absolute);
    if (!relative.startsWith('..') && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      return relative.slice(0, relative.length - ext.length).split(path.sep).join('/');
    }
  }
  return path.basename(absolute, ext);
}
