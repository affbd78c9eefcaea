import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { GroupJournal, journalFile, journalGroups } from './group-journal.js';
import { endLeftovers, type StepGroup } from './leftovers.js';
import { bootId, processAlive, processStart } from '../proc/process-alive.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../fs/safe-open.js';
import { removeQuietly } from '../fs/remove.js';
import { writeAtomic } from '../fs/write-atomic.js';
import { writeFailure } from '../fs/write-error.js';
import { textHash } from '../text-hash.js';
import { playbookFileName } from './store.js';

interface Holder {
  pid: number;
  host: string;
  /** The kernel's id of the boot the holder ran in: after a reboot its PID means nothing. */
  boot_id?: string;
  /** The holder's start time (clock ticks since boot): tells it from a later process given the same PID. */
  pid_start?: number;
  run_id: string;
  started_at: string;
  /** The step process groups, as runbook before the group journal kept them (group-journal.ts). */
  groups?: StepGroup[];
}

/**
 * How long an empty or unparsable lock file is left alone: a runbook from before the kernel lock
 * may be between `open` and `write`. Older than this, it is what a crash at that moment leaves.
 */
const UNREADABLE_GRACE_MS = 5000;

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder?.pid) && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** The process groups `holder`'s steps were running (what to end if it died without ending them). */
function groupsOf(lockFile: string, holder: Holder): StepGroup[] {
  const listed = Array.isArray(holder.groups) ? holder.groups.filter((group) => Number.isInteger(group?.pgid)) : [];
  return [...listed, ...journalGroups(journalFile(lockFile, holder.run_id))];
}

/** The lock in `file` with the process groups its holder's steps are running. */
export function readLock(file: string): { holder: Holder; groups: StepGroup[] } | undefined {
  const holder = readHolder(file);
  return holder && { holder, groups: groupsOf(file, holder) };
}

/** Both known and different: a field the lock (older format) or this system lacks proves nothing. */
function differs<T>(recorded: T | undefined, current: T | undefined): boolean {
  return recorded !== undefined && current !== undefined && recorded !== current;
}

/** The holder ran on this machine: the same host name, or the same boot (the machine was renamed since). */
function thisMachine(holder: Holder): boolean {
  return holder.host === os.hostname() || (holder.boot_id !== undefined && holder.boot_id === bootId());
}

/**
 * A holder that is gone: its boot is over, its PID is dead, or its PID now belongs to another
 * process (reused after a reboot or within this one). A holder of another machine cannot be
 * checked from here; as a state folder belongs to one machine, its lock came with a restored
 * backup or a copied folder, and it is stale.
 */
function holderGone(holder: Holder): boolean {
  if (!thisMachine(holder)) return true;
  if (differs(holder.boot_id, bootId())) return true;
  return !processAlive(holder.pid) || differs(holder.pid_start, processStart(holder.pid));
}

function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return true; // gone already: nothing to wait for
  }
}

/** The lock file in `file`: its holder when it names one, and whether it is a dead run's (or none). */
function inspect(file: string): { holder?: Holder; stale: boolean } {
  const holder = readHolder(file);
  if (!holder) return { stale: olderThan(file, UNREADABLE_GRACE_MS) };
  return { holder, stale: holderGone(holder) };
}

/** `bytes` random bytes from the kernel, in hex (node:crypto costs every run that loads it ~5 ms). */
function randomHex(bytes: number): string {
  const fd = openSync('/dev/urandom', 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    if (readSync(fd, buffer) !== bytes) throw new Error('/dev/urandom gave too few bytes');
    return buffer.toString('hex');
  } finally {
    closeSync(fd);
  }
}

/**
 * The secret in the names of this state folder's kernel locks (STATE/.lock-key, the owner's alone):
 * another user of the machine cannot hold a playbook's name to keep its runs from starting.
 * Made once, by the first run; two first runs agree on the one linked first.
 */
function lockKey(stateDir: string): string {
  const file = path.join(stateDir, '.lock-key');
  const read = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  let key = read();
  if (key === undefined) {
    const draft = `${file}.${process.pid}.new`;
    try {
      writeFileSync(draft, randomHex(16), { mode: PRIVATE_FILE });
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      removeQuietly(draft);
    }
    key = read();
  }
  if (!key || !/^[0-9a-f]{32}$/.test(key)) throw new Error(`${file} is damaged: remove it while no run is in progress`);
  return key;
}

/**
 * Holds the kernel's lock `name`: a Linux abstract socket, which the kernel frees the moment
 * its process ends, however it ends (kill -9, out of memory), so no lock is ever stale and none
 * is taken over. Undefined when another process holds it. Nothing can connect (maxConnections
 * 0), and the socket neither keeps the process alive nor passes to a step's processes.
 */
async function holdName(name: string): Promise<Server | undefined> {
  const { createServer } = await import('node:net');
  const server = createServer();
  server.maxConnections = 0;
  return new Promise((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error));
    server.once('error', refused);
    server.listen(name, () => {
      // Once held, nothing the socket meets (a connection refused) concerns the run.
      server.off('error', refused).on('error', () => {});
      resolve(server.unref());
    });
  });
}

/**
 * What runs before this one left beside the lock file: the group journals of runs that died
 * holding it (`LOCK.RUN.groups`), and files of runbooks from before the kernel lock (a draft
 * `LOCK.PID.new`, a lock moved aside `LOCK.stale.*`, the guard `LOCK.takeover`).
 */
function leftBeside(lockFile: string): { journals: { file: string; run: string }[]; litter: string[] } {
  const dir = path.dirname(lockFile);
  const base = `${path.basename(lockFile)}.`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(base));
  } catch {
    return { journals: [], litter: [] };
  }
  const journals: { file: string; run: string }[] = [];
  const litter: string[] = [];
  for (const name of names) {
    const rest = name.slice(base.length);
    const journal = /^([\w-]+)\.groups$/.exec(rest);
    const draft = /^(\d+)\.new$/.exec(rest);
    if (journal) journals.push({ file: path.join(dir, name), run: journal[1]! });
    else if (rest === 'takeover' || rest.startsWith('stale.') || (draft && !processAlive(Number(draft[1])))) litter.push(path.join(dir, name));
  }
  return { journals, litter };
}

/**
 * One lock per playbook, so two runs never overlap: the kernel's (holdName), with a file beside
 * it that names its holder (`locks/NAME.lock`: for the messages of runs refused, `status` and the
 * fleet, and runbooks from before the kernel lock, which lock by that file alone) and the journal
 * of its steps' process groups (group-journal.ts): what a run killed outright leaves running, the
 * next holder ends.
 */
export class PlaybookLock {
  private readonly file: string;
  private server?: Server;
  private runId?: string;
  private journal?: GroupJournal;

  constructor(stateDir: string, playbook: string) {
    this.file = path.join(stateDir, 'locks', `${playbookFileName(playbook)}.lock`);
  }

  /**
   * Takes the lock or throws LOCK_HELD. Returns what taking it after a run killed outright
   * involved (processes its steps left running, now ended), for the run to say.
   */
  async acquire(holder: Pick<Holder, 'run_id' | 'started_at'>): Promise<string[]> {
    const dir = path.dirname(this.file);
    try {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
      // Named by the state folder's key and the playbook, not by a path: any path to the folder gives the same name.
      const name = path.basename(this.file);
      this.server = await holdName(`\0runbook/${lockKey(path.dirname(dir))}/${textHash(name)}${textHash(name, 0x01000193)}`);
    } catch (error) {
      throw new RunbookError('WRITE_FAILED', writeFailure(error, this.file), { cause: error });
    }
    if (!this.server) throw this.heldError(readHolder(this.file));
    try {
      // With the kernel's lock held, a live holder in the file is a runbook from before it.
      const left = inspect(this.file);
      if (!left.stale) throw this.heldError(left.holder);
      this.runId = holder.run_id;
      const journal = journalFile(this.file, holder.run_id);
      if (journal) this.journal = new GroupJournal(journal);
      const mine: Holder = { pid: process.pid, host: os.hostname(), boot_id: bootId(), pid_start: processStart(process.pid), ...holder };
      return this.seeToDead(left.holder, () => writeAtomic(this.file, JSON.stringify(mine)));
    } catch (error) {
      this.release(); // the run will not start: the lock is not left held
      throw error;
    }
  }

  /**
   * Ends what runs killed outright left running, `dead` (the file's holder, if any) and any other
   * whose journal is left, before this run starts: two runs never overlap. Their groups go into
   * this run's journal first, before `claim` names this run in the file, and their journals go
   * only then: a run killed at any point leaves them to the next.
   */
  private seeToDead(dead: Holder | undefined, claim: () => void): string[] {
    const { journals, litter } = leftBeside(this.file);
    const others = journals.filter(({ run }) => run !== this.runId);
    const dropJournals = () => others.forEach(({ file }) => removeQuietly(file));
    const notes: string[] = [];
    let groups: StepGroup[] = [];
    if (dead && !thisMachine(dead)) {
      notes.push(`took over the lock of run ${dead.run_id} from ${dead.host}, not this machine (${os.hostname()}): it cannot be checked from here, so it counts as stale`);
    } else if (!dead || !differs(dead.boot_id, bootId())) {
      // Recorded with the run that started them: a killed run may have taken them over from another.
      groups = [...(dead?.groups ?? []).map((group) => ({ run: dead!.run_id, ...group })),
        ...others.flatMap(({ file, run }) => journalGroups(file).map((group) => ({ run, ...group })))];
    }
    const inherited = this.journal?.inherit(groups) ?? false;
    claim();
    litter.forEach(removeQuietly);
    if (inherited || groups.length === 0) dropJournals();
    const ended = endLeftovers(groups);
    if (!inherited) dropJournals();
    for (const { pgid } of groups) this.journal?.record(pgid, false);
    const runOf = new Map(groups.map((group) => [group.pgid, group.run]));
    return [...notes, ...ended.map(({ pgid, processes }) => {
      const run = runOf.get(pgid);
      const gone = !dead ? 'it is gone' : run === dead.run_id ? `its process ${dead.pid} is gone` : `run ${dead.run_id}, which took them over, is gone too`;
      return `ended ${processes} process${processes === 1 ? '' : 'es'} left running by run ${run} (${gone}): process group ${pgid}`;
    })];
  }

  /** Notes in the holder's journal that a step's process group started or ended. */
  recordGroup(pgid: number, running: boolean): void {
    this.journal?.record(pgid, running);
  }

  private heldError(holder: Holder | undefined): RunbookError {
    const who = holder
      ? `process ${holder.pid} on ${holder.host} (run ${holder.run_id}, started ${holder.started_at})`
      : 'another process';
    return new RunbookError('LOCK_HELD', `another run of this playbook is in progress: ${who} holds ${this.file}`);
  }

  release(): void {
    if (!this.server) return;
    this.journal?.close();
    this.journal = undefined;
    // The file first: a run that gets the kernel's lock next must not find this live run in it.
    if (this.runId !== undefined && readHolder(this.file)?.run_id === this.runId) removeQuietly(this.file);
    this.runId = undefined;
    this.server.close();
    this.server = undefined;
  }
}
