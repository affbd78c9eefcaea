import { appendFileSync, closeSync, existsSync, fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { errorMessage, RunbookError } from '../errors.js';
import { PRIVATE_FILE } from '../fs/safe-open.js';
import { removeQuietly } from '../fs/remove.js';
import { writeAtomic } from '../fs/write-atomic.js';
import { writeFailure } from '../fs/write-error.js';
import { alertsOf } from './context.js';
import { EXIT_CODES, type RunRecord, type StepRecord } from './record.js';
import { readingOf, type IndexEntry, type ReadingPoint, type RunReader, type RunWriter } from './run-reader.js';

const STEPS_SUFFIX = '.steps.jsonl';
/** Bytes kept blank at the end of a running record, for closing it when the disk is full. */
const CLOSING_ROOM = 2048;

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * A playbook name as one file name: reversible and collision-free (`a/b` is `a%2Fb`, `a__b` stays
 * `a__b`), so two playbooks never share a lock or a history.
 */
export function playbookFileName(playbook: string): string {
  return encodeURIComponent(playbook);
}

/** The playbook a file name stands for; undefined for a name `playbookFileName` never produces. */
function playbookOfFileName(name: string): string | undefined {
  try {
    const playbook = decodeURIComponent(name);
    return playbookFileName(playbook) === name ? playbook : undefined;
  } catch {
    return undefined; // a malformed escape: not one of ours
  }
}

export type { IndexEntry } from './run-reader.js';

function indexEntry(record: RunRecord): IndexEntry {
  const { run_id, status, started_at, duration_ms, summary } = record;
  return { run_id, status, started_at, duration_ms, summary };
}

/**
 * Run records: `runs/<playbook>/<run_id>.json` plus `runs/<playbook>/index.json`, newest last.
 * While a run goes on, each finished step is appended as one line to `<run_id>.steps.jsonl`
 * (rewriting the growing record after every step cost a rename and a full JSON each time); the
 * complete record replaces both at the end. A reader of a run that never ended (killed outright)
 * merges the lines back, so what happened before the crash is never lost.
 * Only one run of a playbook writes at a time (the lock), so the index needs no merging.
 */
export class RunStore implements RunReader, RunWriter {
  readonly dir: string;
  private readonly keep: number;

  /** Told (once a playbook) when an index had to be rebuilt; stderr unless the caller says otherwise. */
  private readonly warn: (line: string) => void;
  private readonly warned = new Set<string>();

  constructor(dir: string, opts: { keep?: number; warn?: (line: string) => void } = {}) {
    this.dir = dir;
    this.keep = Math.max(1, opts.keep ?? (Number(process.env.RUNBOOK_KEEP_RUNS) || 200));
    this.warn = opts.warn ?? ((line) => process.stderr.write(`${line}\n`));
  }

  private playbookDir(playbook: string): string {
    return path.join(this.dir, 'runs', playbookFileName(playbook));
  }

  private indexFile(playbook: string): string {
    return path.join(this.playbookDir(playbook), 'index.json');
  }

  /** The playbook's runs, oldest first. An index that is missing or unreadable while records exist is rebuilt from them. */
  index(playbook: string): IndexEntry[] {
    const file = this.indexFile(playbook);
    const entries = readJson<unknown>(file);
    if (Array.isArray(entries) && entries.every((e: Partial<IndexEntry> | null) => typeof e?.run_id === 'string' && typeof e.status === 'string')) {
      return entries as IndexEntry[];
    }
    return this.rebuildIndex(playbook, existsSync(file) ? 'unreadable' : 'missing');
  }

  /** A corrupted index must not empty the history: the records themselves say what it held. */
  private rebuildIndex(playbook: string, why: string): IndexEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.playbookDir(playbook)).filter((name) => name.endsWith('.json') && name !== 'index.json');
    } catch {
      return []; // no runs of this playbook yet
    }
    const entries = names
      .flatMap((name) => {
        const record = this.read(playbook, name.slice(0, -'.json'.length));
        return record?.run_id && record.started_at ? [indexEntry(record)] : [];
      })
      .sort((a, b) => (a.started_at === b.started_at ? (a.run_id < b.run_id ? -1 : 1) : a.started_at < b.started_at ? -1 : 1));
    if (!entries.length && why === 'missing') return [];
    let saved = '';
    try {
      writeAtomic(this.indexFile(playbook), `${JSON.stringify(entries, null, 1)}\n`);
    } catch (error) {
      saved = ` (not saved: ${errorMessage(error)})`;
    }
    if (!this.warned.has(playbook)) {
      this.warned.add(playbook);
      this.warn(`runbook: the history index of ${playbook} was ${why}: rebuilt from ${entries.length} run record${entries.length === 1 ? '' : 's'}${saved}`);
    }
    return entries;
  }

  private recordFile(playbook: string, runId: string, suffix = '.json'): string {
    return path.join(this.playbookDir(playbook), `${runId}${suffix}`);
  }

  /** Appends one finished step of a running run: cheap, and a crash keeps every earlier line. */
  appendStep(record: RunRecord, step: StepRecord): void {
    const file = this.recordFile(record.playbook, record.run_id, STEPS_SUFFIX);
    try {
      appendFileSync(file, `${JSON.stringify(step)}\n`, { mode: PRIVATE_FILE });
    } catch (error) {
      throw new RunbookError('WRITE_FAILED', writeFailure(error, file), { cause: error });
    }
  }

  /**
   * Saves the record and its index line; once the run has finished, drops its step lines and prunes old runs.
   * A running record carries blank room at its end (JSON allows it) that `closeInPlace` writes into.
   */
  save(record: RunRecord): void {
    // Read before the record is written: a first run's record must not look like runs without an index.
    const entries = this.index(record.playbook).filter((entry) => entry.run_id !== record.run_id);
    const room = record.status === 'RUNNING' ? `${' '.repeat(CLOSING_ROOM)}\n` : '';
    writeAtomic(this.recordFile(record.playbook, record.run_id), `${JSON.stringify(record, null, 2)}\n${room}`);
    entries.push(indexEntry(record));
    const finished = record.status !== 'RUNNING';
    const dropped = finished ? entries.splice(0, Math.max(0, entries.length - this.keep)) : [];
    writeAtomic(this.indexFile(record.playbook), `${JSON.stringify(entries, null, 1)}\n`);
    if (finished) removeQuietly(this.recordFile(record.playbook, record.run_id, STEPS_SUFFIX));
    for (const entry of dropped) {
      for (const suffix of ['.json', STEPS_SUFFIX]) removeQuietly(this.recordFile(record.playbook, entry.run_id, suffix));
    }
  }

  /**
   * When the disk is full, the finished record cannot be written beside the running one: it is
   * written over it instead, in the room the running record kept, without its steps (they stay in
   * the step lines, which `read` merges). The next run files it properly (`closeAbandoned`).
   * False when even that failed: the next run will call the run killed.
   */
  closeInPlace(record: RunRecord): boolean {
    const file = this.recordFile(record.playbook, record.run_id);
    const text = Buffer.from(`${JSON.stringify({ ...record, steps: [], alerts: [] })}\n`);
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r+');
      if (text.length > fstatSync(fd).size) return false; // it would need new room: a torn record is worse
      writeSync(fd, text, 0, text.length, 0);
      ftruncateSync(fd, text.length);
      return true;
    } catch {
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Removes a run that never started properly (its first save failed half-way). */
  forget(record: RunRecord): void {
    for (const suffix of ['.json', STEPS_SUFFIX]) removeQuietly(this.recordFile(record.playbook, record.run_id, suffix));
  }

  read(playbook: string, runId: string): RunRecord | undefined {
    const record = readJson<RunRecord>(this.recordFile(playbook, runId));
    // Still running, killed outright, or closed in place: its steps are in the lines (a torn last line is skipped).
    if (!record || (record.status !== 'RUNNING' && record.steps.length)) return record;
    const steps = readLines(this.recordFile(playbook, runId, STEPS_SUFFIX)).flatMap((line) => {
      try {
        return [JSON.parse(line) as StepRecord];
      } catch {
        return [];
      }
    });
    return { ...record, steps, alerts: alertsOf(steps) };
  }

  /**
   * Closes the records of runs that never ended (killed outright, the box rebooted): called by a
   * run holding the playbook's lock, so any run still marked RUNNING is dead. Each becomes
   * UNKNOWN with the steps it had finished, so history and status stop showing it as running.
   * A run killed while writing a file leaves its temporary file: removed here too.
   */
  closeAbandoned(playbook: string, now: Date): void {
    this.removeTempFiles(playbook);
    for (const entry of this.index(playbook).filter((e) => e.status === 'RUNNING')) {
      const record = this.read(playbook, entry.run_id);
      if (!record) continue;
      if (record.status !== 'RUNNING') {
        this.save(record); // it ended, but the disk was full: its record was closed in place
        continue;
      }
      const stopped = 'killed: its process ended without finishing the run (SIGKILL, out of memory, a reboot)';
      this.save({
        ...record,
        status: 'UNKNOWN',
        exit_code: EXIT_CODES.UNKNOWN,
        finished_at: now.toISOString(),
        duration_ms: now.getTime() - Date.parse(record.started_at),
        stopped,
        summary: `${record.playbook.toUpperCase()} UNKNOWN - ${stopped}`,
      });
    }
  }

  /** Only the lock holder writes in a playbook's folder: any temporary file there is a dead run's. */
  private removeTempFiles(playbook: string): void {
    let names: string[];
    try {
      names = readdirSync(this.playbookDir(playbook));
    } catch {
      return;
    }
    for (const name of names.filter((n) => n.endsWith('.tmp'))) removeQuietly(path.join(this.playbookDir(playbook), name));
  }

  /** The last run of `playbook` that finished (any status), or undefined. */
  lastFinished(playbook: string): RunRecord | undefined {
    return this.finishedNewestFirst(playbook).next().value ?? undefined;
  }

  /** Finished runs of `playbook`, newest first, read lazily. */
  *finishedNewestFirst(playbook: string): Generator<RunRecord> {
    for (const entry of this.index(playbook).reverse()) {
      if (entry.status === 'RUNNING') continue;
      const record = this.read(playbook, entry.run_id);
      if (record) yield record;
    }
  }

  /** The readings of the last `limit` finished runs of `playbook`, oldest first. */
  readings(playbook: string, limit: number): ReadingPoint[] {
    const points: ReadingPoint[] = [];
    for (const record of this.finishedNewestFirst(playbook)) {
      if (points.length >= limit) break;
      points.push(readingOf(record));
    }
    return points.reverse();
  }

  /** The names of every playbook with recorded runs. */
  playbooks(): string[] {
    try {
      return readdirSync(path.join(this.dir, 'runs'))
        .map(playbookOfFileName)
        .filter((name): name is string => name !== undefined)
        .sort();
    } catch {
      return [];
    }
  }

  /** Finds a run by id, whatever its playbook. */
  find(runId: string): RunRecord | undefined {
    for (const playbook of this.playbooks()) {
      if (this.index(playbook).some((entry) => entry.run_id === runId)) return this.read(playbook, runId);
    }
    return undefined;
  }
}
