import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../fs/write-atomic.js';
import { listPlaybooks, SHIPPED_DIR } from './locate.js';
import { readPlaybookText } from './read-file.js';
import type { Playbook } from './types.generated.js';

/**
 * The playbooks that passed their checks, so an unchanged hourly run or `validate` skips the
 * YAML parser, the schema and the template checks (most of their time: bench/ANALYSIS.md).
 * A verdict is used only under the same key: this Node version, this build of runbook, and the
 * same bytes in every playbook the folders hold, for the checks look across files (calls,
 * cycles, names). A playbook with problems is not kept: it is checked afresh each time.
 */

// The bundle's id, set by scripts/build.mjs; from the TypeScript source (tests) there is none,
// and no cache: a verdict of other code must never be taken for this code's.
declare const __RUNBOOK_BUILD__: string | undefined;
const BUILD = typeof __RUNBOOK_BUILD__ === 'string' ? __RUNBOOK_BUILD__ : undefined;

const FORMAT = 2;
const MAX_ENTRIES = 500;
/** Folder sets kept at once: cron's, a person's `--dir mine`, a test's... without evicting each other. */
const MAX_WORLDS = 8;
const MAX_BYTES = 16 * 1024 * 1024;

interface Entry {
  data: Playbook;
  /** Other playbook files read by the check (by path), with their hashes. */
  reads: Record<string, string>;
}
interface World {
  key: string;
  entries: Record<string, Entry>;
}
interface CacheFile {
  format: number;
  /** By the folders searched, in order. */
  worlds: Record<string, World>;
}

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};

function fileHash(file: string): string | undefined {
  try {
    return sha256(readPlaybookText(file));
  } catch {
    return undefined;
  }
}

/** The key of everything a check may read: undefined when a playbook cannot be read (no cache). */
function worldKey(dirs: string[]): string | undefined {
  const parts = [process.version, BUILD!, ...dirs];
  for (const { name, file } of listPlaybooks([...dirs, SHIPPED_DIR])) {
    const hash = fileHash(file);
    if (!hash) return undefined;
    parts.push(name, file, hash);
  }
  return sha256(...parts);
}

/** The cache file, when it is this user's own and no one else can write it. */
function readCacheFile(file: string): CacheFile | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_BYTES || (stats.mode & 0o022) !== 0 || stats.uid !== process.getuid?.()) return undefined;
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as CacheFile;
    return parsed?.format === FORMAT && parsed.worlds && typeof parsed.worlds === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class CheckCache {
  private constructor(private readonly file: string, private readonly dirs: string, private readonly world: World) {}

  static open(folder: string, dirs: string[]): CheckCache | undefined {
    if (!BUILD) return undefined;
    const key = worldKey(dirs);
    if (!key) return undefined;
    const id = JSON.stringify(dirs);
    const world = readCacheFile(path.join(folder, 'checks.json'))?.worlds[id];
    return new CheckCache(path.join(folder, 'checks.json'), id, world?.key === key && world.entries && typeof world.entries === 'object' ? world : { key, entries: {} });
  }

  /** The playbook `name` read from `file` as `text`, if it passed its checks with these bytes. */
  get(name: string, file: string, text: string): Playbook | undefined {
    const entry = this.world.entries[sha256(name, file, text)];
    if (!entry || !Object.entries(entry.reads).every(([read, hash]) => fileHash(read) === hash)) return undefined;
    return entry.data;
  }

  /** Keeps a playbook that passed. Best effort: a state folder that cannot be written costs only time. */
  put(name: string, file: string, text: string, data: Playbook, reads: string[]): void {
    if (frozen) return;
    const readHashes: Record<string, string> = {};
    for (const read of reads) {
      const hash = fileHash(read);
      if (!hash) return;
      readHashes[read] = hash;
    }
    const { entries } = this.world;
    entries[sha256(name, file, text)] = { data, reads: readHashes };
    for (const old of Object.keys(entries).slice(0, -MAX_ENTRIES)) delete entries[old];
    // Read again: another run may have kept another folder set's verdicts meanwhile.
    const worlds: Record<string, World> = readCacheFile(this.file)?.worlds ?? {};
    delete worlds[this.dirs];
    worlds[this.dirs] = this.world;
    for (const old of Object.keys(worlds).slice(0, -MAX_WORLDS)) delete worlds[old];
    try {
      writeAtomic(this.file, JSON.stringify({ format: FORMAT, worlds }));
    } catch {
      // Not kept: the next run checks again.
    }
  }
}

let folder: string | undefined;
let frozen = false;
const opened = new Map<string, CheckCache | undefined>();

/** The CLI keeps verdicts in `dir` (its state folder); library callers and tests keep none. */
export function cacheChecksIn(dir: string | undefined): void {
  folder = dir;
  opened.clear();
}

/** Verdicts are read but no new one is kept: a dry run writes nothing in the state folder. */
export function freezeCheckCache(): void {
  frozen = true;
}

/** The cache for checks against `dirs`, if verdicts are kept. */
export function checkCache(dirs: string[]): CheckCache | undefined {
  if (!folder) return undefined;
  const id = dirs.join('\0');
  if (!opened.has(id)) opened.set(id, CheckCache.open(folder, dirs));
  return opened.get(id);
}
