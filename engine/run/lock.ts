import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { processAlive } from './process-alive.js';

interface Holder {
  pid: number;
  host: string;
  run_id: string;
  started_at: string;
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

/** A lock held by a process of this host that no longer exists (a crash, a SIGKILL). */
function isStale(holder: Holder | undefined): boolean {
  return holder !== undefined && holder.host === os.hostname() && !processAlive(holder.pid);
}

/**
 * One lock per playbook, so two runs never overlap. The lock is a file created exclusively and
 * holding its owner; a stale one is moved aside atomically (only one taker can win the rename).
 */
export class PlaybookLock {
  private readonly file: string;
  private held = false;

  constructor(stateDir: string, playbook: string) {
    this.file = path.join(stateDir, 'locks', `${playbook.split('/').join('__')}.lock`);
  }

  acquire(holder: Omit<Holder, 'pid' | 'host'>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const mine: Holder = { pid: process.pid, host: os.hostname(), ...holder };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.file, 'wx');
        writeSync(fd, JSON.stringify(mine));
        closeSync(fd);
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holderNow = readHolder(this.file);
      if (!isStale(holderNow)) throw this.heldError(holderNow);
      this.takeOverStale();
    }
    throw this.heldError(readHolder(this.file));
  }

  private takeOverStale(): void {
    const aside = `${this.file}.stale.${process.pid}`;
    try {
      renameSync(this.file, aside);
    } catch {
      return; // another process took it over first
    }
    // Between our read and our rename another taker may have put a live lock in place: give it back.
    const moved = readHolder(aside);
    if (moved && !isStale(moved)) {
      try {
        linkSync(aside, this.file);
      } catch {
        // a third process holds it now; either way it is not ours
      }
    }
    rmSync(aside, { force: true });
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
    if (readHolder(this.file)?.pid === process.pid) rmSync(this.file, { force: true });
  }
}
