import { closeSync, constants, openSync, readFileSync, writeFileSync } from 'node:fs';
import { PRIVATE_FILE } from '../fs/safe-open.js';
import { removeQuietly } from '../fs/remove.js';
import { processStart } from '../proc/process-alive.js';
import type { StepGroup } from './leftovers.js';

/**
 * The process groups of a lock holder's steps, for the run that takes its lock over after it was
 * killed outright: a file beside the lock, named by the holder's run id, which no other run shares
 * (a PID is given out again; the lock itself stays one JSON object, as every runbook reads it).
 * A group that starts is a record `+PGID START`, one that ends `-PGID`: appended, never
 * rewritten, as a run may start hundreds of commands. Each record begins a line and ends with
 * `;`, so one cut short by a full disk reads as nothing and takes no later record with it.
 */
export function journalFile(lockFile: string, runId: string): string | undefined {
  // A run id is made by runbook (engine/run/record.ts); one that would leave the folder is no run's.
  return /^[\w-]+$/.test(runId) ? `${lockFile}.${runId}.groups` : undefined;
}

const RECORD = /^([+-])(\d+)(?: (\d+))?(?: @([\w-]+))?;$/;

/** The groups a journal leaves running (none when it is missing). */
export function journalGroups(file: string | undefined): StepGroup[] {
  let text: string;
  try {
    if (!file) return [];
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const groups = new Map<number, StepGroup>();
  for (const line of text.split('\n')) {
    const record = RECORD.exec(line);
    if (record?.[1] === '+') groups.set(Number(record[2]), { pgid: Number(record[2]), ...(record[3] ? { start: Number(record[3]) } : {}), ...(record[4] ? { run: record[4] } : {}) });
    else if (record) groups.delete(Number(record[2]));
  }
  return [...groups.values()];
}

/** The journal a lock holder writes while it holds the lock. Best effort: a full disk loses no run. */
export class GroupJournal {
  private fd?: number;
  /** Records not written yet (the disk was full): tried again with the next one. */
  private unwritten = '';

  constructor(private readonly file: string) {
    try {
      // A new file, never one planted or left under this name (a link is not followed).
      this.fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | constants.O_NOFOLLOW, PRIVATE_FILE);
    } catch {
      // no journal: a takeover after a kill -9 would find no groups to end
    }
  }

  record(pgid: number, running: boolean): void {
    this.append(running ? { pgid, start: processStart(pgid) } : { pgid }, running);
  }

  /**
   * Takes on the groups dead runs left (with the start times and the runs they recorded) before
   * they are ended; whether they are on disk now (no journal, or a full disk, and they are not).
   */
  inherit(groups: StepGroup[]): boolean {
    for (const group of groups) this.append(group, true);
    return this.fd !== undefined && this.unwritten === '';
  }

  private append(group: StepGroup, running: boolean): void {
    if (this.fd === undefined) return;
    const { pgid, start, run } = group;
    this.unwritten += `\n${running ? '+' : '-'}${pgid}${start === undefined ? '' : ` ${start}`}${running && run ? ` @${run}` : ''};`;
    try {
      writeFileSync(this.fd, this.unwritten);
      this.unwritten = '';
    } catch {
      // kept: a record written twice reads the same
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    removeQuietly(this.file);
  }
}
