import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { removeQuietly } from '../fs/remove.js';
import { writeAtomic } from '../fs/write-atomic.js';
import { findPlaybook, listPlaybooks, SHIPPED_DIR } from './locate.js';
import { readPlaybookText } from './read-file.js';
import type { Playbook } from './types.generated.js';

/**
 * The playbooks that passed their checks, so an unchanged hourly run or `validate` skips the
 * YAML parser, the schema and the template checks (most of their time: bench/ANALYSIS.md).
 * A verdict is used only under the same key: this Node version, this build of runbook, and the
 * same bytes in every playbook the folders hold, for the checks look across files (calls,
 * cycles, names). The texts themselves are kept and compared: no hash to trust, and no crypto
 * module to load on every run. A playbook with problems is not kept: it is checked afresh.
 */

// The bundle's id, set by scripts/build.mjs; from the TypeScript source (tests) there is none,
// and no cache: a verdict of other code must never be taken for this code's.
declare const __RUNBOOK_BUILD__: string | undefined;
const BUILD = typeof __RUNBOOK_BUILD__ === 'string' ? __RUNBOOK_BUILD__ : undefined;

const FORMAT = 5;
const MAX_ENTRIES = 500;
/** Worlds kept at once: cron's folders, a person's `--dir mine`, another build... without evicting each other. */
const MAX_WORLDS = 8;
const MAX_BYTES = 16 * 1024 * 1024;

interface Entry {
  data: Playbook;
  /** The texts the check read that are not among the world's: the file itself or a playbook it calls, found elsewhere. */
  texts: Record<string, string>;
  /** The playbook names the check looked up, with the file each was found in or null: a folder reached through a link is not in the world. */
  lookups: Record<string, string | null>;
}
interface World {
  /** Every playbook of the folders (and the shipped ones), by name, with the text of each file. */
  playbooks: [name: string, file: string, text: string][];
  entries: Record<string, Entry>;
}
/** One file a world: Node's version, the build and the folders searched (its id). */
interface CacheFile extends World {
  format: number;
  id: string;
}

/** The file of a world, named by a short hash of its id (the id inside is what counts). */
function fileNameOf(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return `checks-${hash.toString(16).padStart(8, '0')}.json`;
}

function textOf(file: string): string | undefined {
  try {
    return readPlaybookText(file);
  } catch {
    return undefined;
  }
}

/** What the checks may read: undefined when a playbook cannot be read (no cache then). */
function playbooksOf(dirs: string[]): World['playbooks'] | undefined {
  const found: World['playbooks'] = [];
  let listed: { name: string; file: string }[];
  try {
    listed = listPlaybooks([...dirs, SHIPPED_DIR]);
  } catch {
    return undefined; // a folder that cannot be listed: the run goes on without a cache (list says why)
  }
  for (const { name, file } of listed) {
    const text = textOf(file);
    if (text === undefined) return undefined;
    found.push([name, file, text]);
  }
  return found;
}

const samePlaybooks = (a: World['playbooks'], b: World['playbooks']) =>
  a.length === b.length && a.every(([name, file, text], i) => name === b[i]![0] && file === b[i]![1] && text === b[i]![2]);

/** The cache file, when it is this user's own and no one else can write it. */
function readCacheFile(file: string): CacheFile | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_BYTES || (stats.mode & 0o022) !== 0 || stats.uid !== process.getuid?.()) return undefined;
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as CacheFile;
    return parsed?.format === FORMAT && Array.isArray(parsed.playbooks) && parsed.entries && typeof parsed.entries === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Keeps the MAX_WORLDS most recently written worlds (an upgrade leaves the old build's behind). */
function pruneWorlds(folder: string): void {
  const worlds = readdirSync(folder).filter((name) => /^checks-[0-9a-f]{8}\.json$/.test(name))
    .map((name) => ({ file: path.join(folder, name), at: statSync(path.join(folder, name)).mtimeMs }));
  for (const { file } of worlds.sort((a, b) => b.at - a.at).slice(MAX_WORLDS)) removeQuietly(file);
}

export class CheckCache {
  private readonly texts: Map<string, string>;

  private constructor(private readonly folder: string, private readonly id: string, private readonly dirs: string[], private readonly world: World) {
    this.texts = new Map(world.playbooks.map(([, file, text]) => [file, text]));
  }

  static open(folder: string, dirs: string[]): CheckCache | undefined {
    if (!BUILD) return undefined;
    const playbooks = playbooksOf(dirs);
    if (!playbooks) return undefined;
    const id = JSON.stringify([process.version, BUILD, dirs]);
    const kept = readCacheFile(path.join(folder, fileNameOf(id)));
    const same = kept?.id === id && samePlaybooks(kept.playbooks, playbooks);
    return new CheckCache(folder, id, dirs, same ? { playbooks: kept.playbooks, entries: kept.entries } : { playbooks, entries: {} });
  }

  /** The text of a playbook of the folders as read for the key (each is read once per run). */
  keptText(file: string): string | undefined {
    return this.texts.get(file);
  }

  /** The playbook `name` read from `file` as `text`, if it passed its checks with these bytes. */
  get(name: string, file: string, text: string): Playbook | undefined {
    const entry = this.world.entries[`${name}\0${file}`];
    if (!entry || !this.unchanged(file, text, entry)) return undefined;
    return entry.data;
  }

  /** Keeps a playbook that passed. Best effort: a state folder that cannot be written costs only time. */
  put(name: string, file: string, text: string, data: Playbook, lookups: Entry['lookups']): void {
    // What JSON cannot carry (NaN, Infinity, undefined) would come back as something else.
    if (frozen || !isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) return;
    const texts: Record<string, string> = {};
    const reads = Object.values(lookups).filter((read): read is string => read !== null);
    for (const [read, readText] of [[file, text] as const, ...reads.map((read) => [read, textOf(read)] as const)]) {
      if (readText === undefined) return;
      if (this.texts.get(read) !== readText) texts[read] = readText;
    }
    const { entries } = this.world;
    entries[`${name}\0${file}`] = { data, texts, lookups };
    for (const old of Object.keys(entries).slice(0, -MAX_ENTRIES)) delete entries[old];
    try {
      writeAtomic(path.join(this.folder, fileNameOf(this.id)), JSON.stringify({ format: FORMAT, id: this.id, ...this.world }));
      pruneWorlds(this.folder);
    } catch {
      // Not kept: the next run checks again.
    }
  }

  /** The file is `text` as when it passed, every name it looked up leads where it led, and every text read outside the world is the same. */
  private unchanged(file: string, text: string, entry: Entry): boolean {
    if (!entry.texts || typeof entry.texts !== 'object' || !entry.lookups || typeof entry.lookups !== 'object') return false;
    if ((entry.texts[file] ?? this.texts.get(file)) !== text) return false;
    return Object.entries(entry.lookups).every(([callee, found]) => (findPlaybook(callee, this.dirs) ?? null) === found)
      && Object.entries(entry.texts).every(([read, kept]) => read === file || textOf(read) === kept);
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
