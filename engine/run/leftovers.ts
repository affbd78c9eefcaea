import { readdirSync } from 'node:fs';
import { processAlive, processGroup, processStart } from '../proc/process-alive.js';

/** A step's process group as a lock records it: its id and its leader's start time. */
export interface StepGroup {
  pgid: number;
  start?: number;
  /** The run whose step started it, when a later run took it over (the journal keeps it then). */
  run?: string;
}

const GRACE_MS = 2000;
const POLL_MS = 50;

/** The live (not zombie) processes of group `pgid`, from /proc; none where there is no /proc. */
function members(pgid: number): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => processGroup(pid) === pgid && processAlive(pid));
}

/**
 * Whether group `pgid` is still the one the dead run recorded: it is not ours, and its leader is
 * either gone (a PID is not given out again while a group of that id lives) or the very process
 * that was recorded (same start time), not a later one given the same PID.
 */
function stillTheirs(group: StepGroup): boolean {
  if (group.pgid <= 1 || group.pgid === process.pid || group.pgid === processGroup('self')) return false;
  const leaderStart = processStart(group.pgid);
  return leaderStart === undefined || group.start === undefined || leaderStart === group.start;
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone meanwhile
  }
}

/**
 * Ends what a dead run's steps left running (it was killed outright, so nothing stopped them):
 * SIGTERM to each of its groups that is still its own, SIGKILL after 2 s to what remains.
 * Returns how many processes each group had, for the run to say so.
 */
export function endLeftovers(groups: StepGroup[]): { pgid: number; processes: number }[] {
  const found = groups.filter(stillTheirs).map((group) => ({ pgid: group.pgid, processes: members(group.pgid).length })).filter((g) => g.processes > 0);
  for (const { pgid } of found) signalGroup(pgid, 'SIGTERM');
  for (let waited = 0; waited < GRACE_MS && found.some((g) => members(g.pgid).length); waited += POLL_MS) pause(POLL_MS);
  for (const { pgid } of found) if (members(pgid).length) signalGroup(pgid, 'SIGKILL');
  return found;
}
