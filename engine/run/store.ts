import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRecord, RunStatus } from './record.js';

/** The state directory: RUNBOOK_STATE_DIR, default ~/.local/state/runbook. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.RUNBOOK_STATE_DIR || path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'runbook'));
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
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

/** A line of a playbook's index: enough for history and status without opening every record. */
export interface IndexEntry {
  run_id: string;
  status: RunStatus | 'RUNNING';
  started_at: string;
  duration_ms: number;
  summary: string;
}

function indexEntry(record: RunRecord): IndexEntry {
  const { run_id, status, started_at, duration_ms, summary } = record;
  return { run_id, status, started_at, duration_ms, summary };
}

/**
 * Run records: `runs/<playbook>/<run_id>.json` plus `runs/<playbook>/index.json`, newest last.
 * Only one run of a playbook writes at a time (the lock), so the index needs no merging.
 */
export class RunStore {
  readonly dir: string;
  private readonly keep: number;

  constructor(dir: string, keep = Number(process.env.RUNBOOK_KEEP_RUNS) || 200) {
    this.dir = dir;
    this.keep = Math.max(1, keep);
  }

  private playbookDir(playbook: string): string {
    return path.join(this.dir, 'runs', playbookFileName(playbook));
  }

  private indexFile(playbook: string): string {
    return path.join(this.playbookDir(playbook), 'index.json');
  }

  index(playbook: string): IndexEntry[] {
    return readJson<IndexEntry[]>(this.indexFile(playbook)) ?? [];
  }

  /** Saves the record alone: after each step, so a crash never loses what already happened. */
  checkpoint(record: RunRecord): void {
    writeAtomic(path.join(this.playbookDir(record.playbook), `${record.run_id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Saves the record and its index line; prunes old runs once the run has finished. */
  save(record: RunRecord): void {
    this.checkpoint(record);
    const entries = this.index(record.playbook).filter((entry) => entry.run_id !== record.run_id);
    entries.push(indexEntry(record));
    const dropped = record.status === 'RUNNING' ? [] : entries.splice(0, Math.max(0, entries.length - this.keep));
    writeAtomic(this.indexFile(record.playbook), `${JSON.stringify(entries, null, 1)}\n`);
    for (const entry of dropped) rmSync(path.join(this.playbookDir(record.playbook), `${entry.run_id}.json`), { force: true });
  }

  read(playbook: string, runId: string): RunRecord | undefined {
    return readJson<RunRecord>(path.join(this.playbookDir(playbook), `${runId}.json`));
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
