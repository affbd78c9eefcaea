import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { GroupJournal, journalFile, journalGroups } from './group-journal.js';
import { endLeftovers, type StepGroup } from './leftovers.js';
import { bootId, processAlive, processStart } from '../proc/process-alive.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../fs/safe-open.js';
import { removeQuietly } from '../fs/remove.js';
import { writeFailure } from '../fs/write-error.js';
import { pause } from '../proc/pause.js';
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
 * How long an empty or unparsable lock file is left alone: its creator may be between `open`
 * and `write`. Older than this, it is what a crash at that moment leaves behind.
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

/** The process groups `holder`'s steps were running (what to end if it died without ending them), and its journal. */
function groupsOf(lockFile: string, holder: Holder): { groups: StepGroup[]; journal?: string } {
  const journal = journalFile(lockFile, holder.run_id);
  const listed = Array.isArray(holder.groups) ? holder.groups.filter((group) => Number.isInteger(group?.pgid)) : [];
  return { groups: [...listed, ...journalGroups(journal)], journal };
}

/** The lock in `file` with the process groups its holder's steps are running. */
export function readLock(file: string): { holder: Holder; groups: StepGroup[] } | undefined {
  const holder = readHolder(file);
  return holder && { holder, groups: groupsOf(file, holder).groups };
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

/** The lock in `file`: its holder when it names one, and whether it may be taken over. */
function inspect(file: string): { holder?: Holder; stale: boolean } {
  const holder = readHolder(file);
  if (!holder) return { stale: olderThan(file, UNREADABLE_GRACE_MS) };
  return { holder, stale: holderGone(holder) };
}

/**
 * A dead holder of this host and boot may have left its steps' processes running (it was killed
 * outright): they are ended before the new run starts, so two runs never overlap. Its journal
 * of groups goes with it, once `heir` (the taker's own journal, when it holds the lock) has the
 * groups: a taker killed while it ends them leaves them to the run after it.
 */
function takeoverNotes(lockFile: string, dead: Holder, heir?: GroupJournal): string[] {
  const { groups, journal } = groupsOf(lockFile, dead);
  const dropJournal = () => journal && removeQuietly(journal);
  if (!thisMachine(dead)) {
    dropJournal();
    return [`took over the lock of run ${dead.run_id} from ${dead.host}, not this machine (${os.hostname()}): it cannot be checked from here, so it counts as stale`];
  }
  if (differs(dead.boot_id, bootId())) {
    dropJournal();
    return [];
  }
  // The dead journal goes once its groups are in the heir's, or else once they are ended.
  const inherited = heir?.inherit(groups, dead.run_id) ?? false;
  if (inherited) dropJournal();
  const ended = endLeftovers(groups);
  if (!inherited) dropJournal();
  for (const { pgid } of groups) heir?.record(pgid, false);
  const runOf = new Map(groups.map((group) => [group.pgid, group.run ?? dead.run_id]));
  return ended.map(({ pgid, processes }) => {
    const run = runOf.get(pgid);
    const gone = run === dead.run_id ? `its process ${dead.pid} is gone` : `run ${dead.run_id}, which took them over, is gone too`;
    return `ended ${processes} process${processes === 1 ? '' : 'es'} left running by run ${run} (${gone}): process group ${pgid}`;
  });
}

/** takeoverNotes for a dead holder whose lock this run moved aside but did not get: nothing else knows of it. */
function endWithoutLock(lockFile: string, dead: Holder): void {
  try {
    takeoverNotes(lockFile, dead);
  } catch {
    // what failed here must not hide why the lock was not taken
  }
}

/** A dead holder's lock that a run moved aside: kept there until what the holder left is seen to. */
interface Taken {
  holder: Holder;
  aside: string;
}

/**
 * The files a run leaves beside a lock while it takes one: its draft (`LOCK.PID.new`) and the
 * locks it moved aside (`LOCK.stale.PID.START.N`: its PID and start time, which tell it from a
 * later process given the PID, and a count that makes every name new; `LOCK.stale.PID` from
 * runbook before that).
 */
const LEFT = /^(?:(\d+)\.new|stale\.(\d+)(?:\.(\d*)\.\d+)?)$/;

/** Names of this process's asides are never used twice (a rename replaces what it lands on). */
let asidesNamed = 0;

/** How long a run waits when another is moving a stale lock aside (a few file operations). */
const GUARD_WAIT_MS = 50;

/** Whether `target` was free and is now a link to `from` (link fails if it exists: no run can replace another's). */
function linked(from: string, target: string): boolean {
  try {
    linkSync(from, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The run that left a file beside the lock is still running: same PID, same start time when the name has it. */
function takerAlive(pid: number, start: string | undefined): boolean {
  return processAlive(pid) && !differs(start ? Number(start) : undefined, processStart(pid));
}

/**
 * One lock per playbook, so two runs never overlap. The lock is a file created exclusively and
 * holding its owner; a stale one is moved aside by one run at a time, under a guard file.
 */
export class PlaybookLock {
  private readonly file: string;
  private held = false;
  private journal?: GroupJournal;
  /** This process's start time as its asides' names carry it ('' where it cannot be read). */
  private readonly start = String(processStart(process.pid) ?? '');

  /** The right to move a stale lock aside, held by one run at a time (takeOverStale). */
  private readonly guard: string;

  constructor(stateDir: string, playbook: string) {
    this.file = path.join(stateDir, 'locks', `${playbookFileName(playbook)}.lock`);
    this.guard = `${this.file}.takeover`;
  }

  /**
   * Takes the lock or throws LOCK_HELD. Returns what taking over a dead run's lock involved
   * (processes its steps left running, now ended), for the run to say.
   */
  acquire(holder: Pick<Holder, 'run_id' | 'started_at'>): string[] {
    const mine: Holder = { pid: process.pid, host: os.hostname(), boot_id: bootId(), pid_start: processStart(process.pid), ...holder };
    // Dead holders' locks this taker moved aside: what they left is seen to once the lock is ours.
    const taken: Taken[] = [];
    // Written in full beside the lock, then linked to its name (which fails if it exists): the
    // lock never exists empty, even when the disk is full, so no crash leaves one that blocks.
    const draft = `${this.file}.${process.pid}.new`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: PRIVATE_DIR });
      writeFileSync(draft, JSON.stringify(mine), { mode: PRIVATE_FILE });
      for (let attempt = 0; attempt < 3; attempt++) {
        if (this.linkFrom(draft)) {
          const journal = journalFile(this.file, holder.run_id);
          if (journal) this.journal = new GroupJournal(journal);
          try {
            taken.push(...this.leftBehind());
            return taken.splice(0).flatMap(({ holder: dead, aside }) => {
              const notes = takeoverNotes(this.file, dead, this.journal);
              removeQuietly(aside);
              return notes;
            });
          } catch (error) {
            this.release(); // the run will not start: the lock is not left held
            throw error;
          }
        }
        const current = inspect(this.file);
        if (!current.stale) throw this.heldError(current.holder);
        const dead = this.takeOverStale(draft);
        if (dead) taken.push(dead);
      }
      // Still not ours: a run that is taking the lock over (its guard) holds it, or else the lock's.
      throw this.heldError(readHolder(this.guard) ?? readHolder(this.file));
    } catch (error) {
      // Another run got the lock after this one moved a dead holder's aside. That run sees to
      // the asides it finds, this one's too; what it has not claimed yet is ended here (killed
      // meanwhile, this run leaves the aside to the next holder of the lock).
      for (const { holder: dead, aside } of taken) {
        const claimed = this.claim(aside);
        if (!claimed) continue;
        endWithoutLock(this.file, dead);
        removeQuietly(claimed);
      }
      if (error instanceof RunbookError) throw error;
      throw new RunbookError('WRITE_FAILED', writeFailure(error, this.file), { cause: error });
    } finally {
      removeQuietly(draft);
    }
  }

  /** Whether the lock was free and is now ours. */
  private linkFrom(draft: string): boolean {
    this.held = linked(draft, this.file);
    return this.held;
  }

  /**
   * What other runs left beside the lock, seen to by its new holder. A lock moved aside whose
   * holder is dead is claimed, whoever moved it: its taker was killed before it ended what the
   * holder left, or lost the lock to this run and may be killed while it does. Drafts, and
   * asides of a live lock or an unreadable one, go once the run that left them is gone (kill -9
   * is never polite). Group journals are not touched: a dead holder's is the claimer's to read.
   */
  private leftBehind(): Taken[] {
    const base = path.basename(this.file);
    const dir = path.dirname(this.file);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const taken: Taken[] = [];
    for (const name of names) {
      const left = name.startsWith(`${base}.`) ? LEFT.exec(name.slice(base.length + 1)) : null;
      if (!left) continue;
      const [, draftOf, takerPid, takerStart] = left;
      const file = path.join(dir, name);
      if (draftOf !== undefined) {
        if (Number(draftOf) !== process.pid && !processAlive(Number(draftOf))) removeQuietly(file);
        continue;
      }
      if (Number(takerPid) === process.pid && takerStart === this.start) continue; // this run's own
      const moved = inspect(file);
      if (moved.holder && moved.stale) {
        const aside = this.claim(file);
        if (aside) taken.push({ holder: moved.holder, aside });
      } else if (!takerAlive(Number(takerPid), takerStart)) {
        removeQuietly(file);
      }
    }
    return taken;
  }

  /** Moves `file` to a new aside of this run's; where, when it was there to move (only one run can). */
  private claim(file: string): string | undefined {
    const aside = `${this.file}.stale.${process.pid}.${this.start}.${++asidesNamed}`;
    try {
      renameSync(file, aside);
      return aside;
    } catch {
      return undefined;
    }
  }

  /**
   * Moves a stale lock aside; returns its holder and where it lies when this run moved it (kept
   * there until seen to). Only under the guard, and after a second look: a run whose first look
   * is out of date would move the lock another run has just taken, and a third run could take
   * the empty name meanwhile (two runs holding it).
   */
  private takeOverStale(draft: string): Taken | undefined {
    if (!this.takeGuard(draft)) {
      pause(GUARD_WAIT_MS); // another run is moving it: a moment, then look again
      return undefined;
    }
    try {
      if (!inspect(this.file).stale) return undefined;
      const aside = this.claim(this.file);
      if (!aside) return undefined; // gone meanwhile: its holder released it
      const moved = inspect(aside);
      if (moved.stale && moved.holder) return { holder: moved.holder, aside };
      // A live lock: moved by nothing but a runbook from before the guard, so given back.
      if (!moved.stale) linked(aside, this.file);
      removeQuietly(aside);
      return undefined;
    } finally {
      if (readHolder(this.guard)?.pid === process.pid) removeQuietly(this.guard);
    }
  }

  /** Takes the guard (this run's draft linked to its name); one left by a run that died holding it is removed first. */
  private takeGuard(draft: string): boolean {
    if (linked(draft, this.guard)) return true;
    if (!inspect(this.guard).stale) return false;
    // Moved to a name of this run's before it is judged again: two runs that found it stale at
    // once remove only the one they judged, never a guard taken since.
    const moved = this.claim(this.guard);
    if (!moved) return false;
    if (inspect(moved).stale) {
      removeQuietly(moved);
      return linked(draft, this.guard);
    }
    linked(moved, this.guard);
    removeQuietly(moved);
    return false;
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
    if (!this.held) return;
    this.held = false;
    this.journal?.close();
    this.journal = undefined;
    if (readHolder(this.file)?.pid === process.pid) removeQuietly(this.file);
  }
}
