import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { writeAtomic } from '../fs/write-atomic.js';

/** Which crontab to edit: a plain file (tests, /etc/cron.d-style files), another user's, or one's own. */
export interface CrontabTarget {
  file?: string;
  user?: string;
}

function crontab(args: string[], target: CrontabTarget, input?: string): { status: number | null; stdout: string; stderr: string } {
  const userArgs = target.user ? ['-u', target.user] : [];
  const result = spawnSync('crontab', [...userArgs, ...args], { input, encoding: 'utf8' });
  if (result.error) {
    throw new RunbookError('CRONTAB', `cannot run \`crontab\`: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message} (install cron, or use --crontab-file)`);
  }
  return result;
}

const failure = (what: string, stderr: string) => new RunbookError('CRONTAB', `crontab ${what} failed: ${stderr.trim() || 'no message'}`);

export function readCrontab(target: CrontabTarget): string {
  if (target.file) {
    try {
      return readFileSync(target.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }
  const result = crontab(['-l'], target);
  // Debian's crontab exits 1 with "no crontab for USER" when there is none yet.
  if (result.status !== 0 && /no crontab for/i.test(result.stderr)) return '';
  if (result.status !== 0) throw failure('-l', result.stderr);
  return result.stdout;
}

/** Replaces the whole crontab; an empty text removes it (`crontab -r`). */
export function writeCrontab(target: CrontabTarget, text: string): void {
  if (target.file) {
    writeAtomic(path.resolve(target.file), text, { shared: true });
    return;
  }
  const result = text ? crontab(['-'], target, text) : crontab(['-r'], target);
  if (result.status !== 0 && !(text === '' && /no crontab for/i.test(result.stderr))) throw failure(text ? 'install' : '-r', result.stderr);
}
