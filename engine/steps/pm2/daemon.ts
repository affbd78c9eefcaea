import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../../proc/process-alive.js';

/** The PM2 home a step talks to: the step's `PM2_HOME`, else pm2's own default (`~/.pm2`). */
export function pm2Home(env: Record<string, string | undefined>): string {
  return env.PM2_HOME || path.join(os.homedir(), '.pm2');
}

function pidAlive(pidFile: string): boolean {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && processAlive(pid);
  } catch {
    return false;
  }
}

/** pm2 found no daemon to talk to, and was not allowed to start one. */
export class NoDaemonError extends Error {
  constructor(home: string) {
    super(notRunning(home));
    this.name = 'NoDaemonError';
  }
}

function notRunning(home: string): string {
  return `PM2 is not running (no daemon under ${home}): every PM2 service is down`;
}

/** `absent` is a finding (every service is down); `denied` means we cannot look. */
type DaemonState = { state: 'running' } | { state: 'absent' | 'denied'; message: string };

/**
 * Whether a PM2 daemon serves `home`, judged from its files only: importing pm2 or connecting
 * would spawn a daemon when there is none, which a read-only step must never do.
 */
export function daemonState(home: string): DaemonState {
  const socket = path.join(home, 'rpc.sock');
  if (!existsSync(socket) || !pidAlive(path.join(home, 'pm2.pid'))) {
    return { state: 'absent', message: notRunning(home) };
  }
  try {
    // pm2's client exits the whole process on EACCES: find out first.
    accessSync(socket, constants.R_OK | constants.W_OK);
  } catch {
    const user = os.userInfo().username;
    return { state: 'denied', message: `the PM2 daemon under ${home} belongs to another user: ${user} may not use ${socket} (run as its owner)` };
  }
  return { state: 'running' };
}
