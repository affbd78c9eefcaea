import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { errorMessage, RunbookError } from '../errors.js';
import { GroupJournal, journalFile, journalGroups } from './group-journal.js';
import { endLeftovers, type StepGroup } from './leftovers.js';
import { bootId, processAlive, processStart } from '../proc/process-alive.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../fs/safe-open.js';
import { removeQuietly } from '../fs/remove.js';
import { writeFailure } from '../fs/write-error.js';
import { writeAtomic } from '../fs/write-atomic.js';
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

/** The groups the lock file itself lists (runbook before the journal), each with the run that started it; none when the list is not one. */
function listedGroups(holder: Holder): StepGroup[] {
  return Array.isArray(holder.groups) ? holder.groups.filter((group) => Number.isInteger(group?.pgid)).map((group) => ({ run: holder.run_id, ...group })) : [];
}

/** The process groups `holder`'s steps were running (what to end if it died without ending them). */
function groupsOf(lockFile: string, holder: Holder): StepGroup[] {
  return [...listedGroups(holder), ...journalGroups(journalFile(lockFile, holder.run_id))];
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

/** How long a run waits for the lock before it is refused (a run ending just now frees it in a moment). */
const WAIT_SECONDS = '0.5';
/** flock's exit code when the lock stays held (sysexits' EX_TEMPFAIL). */
const HELD_EXIT = 75;

/**
 * Holds the kernel's lock (flock) on `file`, open as `fd`: util-linux's `flock`
 * (node has no call for it) locks that open file, which it shares, and exits. The lock is then
 * this process's: the kernel frees it when the file is closed, by `release` or by the process's
 * end, however it ends (kill -9, out of memory). The file is opened close-on-exec, so no step's
 * process inherits it. No lock is ever stale and none is taken over. Undefined when another
 * process holds it.
 */
function holdLock(fd: number, file: string): Promise<number | undefined> {
  // Where util-linux puts it first: a PATH a service manager trimmed, or one that leads to another flock, is not asked.
  const command = ['/usr/bin/flock', '/bin/flock'].find((candidate) => existsSync(candidate)) ?? 'flock';
  // In a session of its own: a Ctrl-C while it waits is the run's to handle, not a failure of the lock.
  const locker = spawn(command, ['--wait', WAIT_SECONDS, '--conflict-exit-code', String(HELD_EXIT), '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], detached: true });
  let said = '';
  locker.stderr!.on('data', (chunk) => (said += chunk));
  return new Promise((resolve, reject) => {
    let settled = false; // a flock that cannot start says so twice ('error', then 'close')
    const failed = (error: Error) => {
      if (settled) return;
      settled = true;
      closeSync(fd);
      reject(error);
    };
    locker.once('error', (error: NodeJS.ErrnoException) => failed(error.code === 'ENOENT' ? new Error(`util-linux's flock is not installed (not in /usr/bin, /bin or PATH ${process.env.PATH ?? ''}): it takes the lock`) : error));
    locker.once('close', (code, signal) => {
      if (code !== 0 && code !== HELD_EXIT) return failed(new Error(`${command} ${file} failed: ${said.trim().split('\n')[0] || (signal ? `killed by ${signal}` : `exit ${code}`)}`));
      if (settled) return;
      settled = true;
      if (code === HELD_EXIT) closeSync(fd);
      resolve(code === 0 ? fd : undefined);
    });
  });
}

/**
 * What runs before this one left beside the lock file: the group journals of runs that died
 * holding it (`LOCK.RUN.groups`), and the files of runs killed as they wrote it: a temporary
 * file (`LOCK.PID.X.tmp`) and, from runbooks before the kernel lock, a draft (`LOCK.PID.new`) or
 * a lock moved aside (`LOCK.stale.PID`).
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
    // Exact shapes: another playbook's files (`NAME.lock.x.lock`, a name may hold dots) never match.
    const writer = /^(?:(\d+)\.new|stale\.(\d+)|(\d+)\.\w+\.tmp)$/.exec(rest);
    if (journal) journals.push({ file: path.join(dir, name), run: journal[1]! });
    else if (writer && !processAlive(Number(writer[1] ?? writer[2] ?? writer[3]))) litter.push(path.join(dir, name));
  }
  return { journals, litter };
}

/**
 * One lock per playbook, so two runs never overlap: the kernel's (holdLock, on `STATE/flock/NAME`),
 * with a file that names its holder (`locks/NAME.lock`: for the message of a run refused, and for
 * runbooks from before the kernel lock, which lock by that file alone) and the journal of its
 * steps' process groups (group-journal.ts): what a run killed outright leaves running, the next
 * holder ends.
 */
export class PlaybookLock {
  private readonly file: string;
  /** The open file the kernel's lock is on, while this run holds it. */
  private held?: number;
  private runId?: string;
  private journal?: GroupJournal;

  /** What the kernel locks: never removed or replaced, as a lock on a file removed would lock nothing another run opens. */
  private readonly lockedFile: string;

  constructor(stateDir: string, playbook: string) {
    this.file = path.join(stateDir, 'locks', `${playbookFileName(playbook)}.lock`);
    this.lockedFile = path.join(stateDir, 'flock', playbookFileName(playbook));
  }

  /**
   * Takes the lock or throws LOCK_HELD. Returns what taking it after a run killed outright
   * involved (processes its steps left running, now ended), for the run to say.
   */
  async acquire(holder: Pick<Holder, 'run_id' | 'started_at'>): Promise<string[]> {
    let fd: number;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: PRIVATE_DIR });
      mkdirSync(path.dirname(this.lockedFile), { recursive: true, mode: PRIVATE_DIR });
      fd = openSync(this.lockedFile, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, PRIVATE_FILE);
    } catch (error) {
      throw new RunbookError('WRITE_FAILED', writeFailure(error, this.file), { cause: error });
    }
    try {
      this.held = await holdLock(fd, this.lockedFile);
    } catch (error) {
      throw new RunbookError('WRITE_FAILED', `the lock of this playbook could not be taken: ${errorMessage(error)}`, { cause: error });
    }
    if (this.held === undefined) throw this.heldError(readHolder(this.file));
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
      groups = [...(dead ? listedGroups(dead) : []),
        ...others.flatMap(({ file, run }) => journalGroups(file).map((group) => ({ run, ...group })))];
    }
    // Their journals go before the groups are ended when this run's journal has them (or there are none), else after.
    const dropFirst = (this.journal?.inherit(groups) ?? false) || groups.length === 0;
    claim();
    litter.forEach(removeQuietly);
    if (dropFirst) dropJournals();
    const ended = endLeftovers(groups);
    if (!dropFirst) dropJournals();
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
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    try {
      this.journal?.close();
      // The file first: a run that gets the lock next must not find this live run in it.
      if (this.runId !== undefined && readHolder(this.file)?.run_id === this.runId) removeQuietly(this.file);
    } finally {
      this.journal = undefined;
      this.runId = undefined;
      closeSync(held); // whatever failed above, the lock goes (a tick's process lives on)
    }
  }
}
