import { closeSync, writeSync } from 'node:fs';
import { openAppendNoFollow } from '../../fs/safe-open.js';
import { plainReporter } from './plain.js';
import type { Reporter } from './reporter.js';

/** Past this many buffered bytes the lines are written at once, so a chatty step never holds much. */
const FLUSH_BYTES = 64 * 1024;

/**
 * The playbook's `log` file: the plain, verbose lines, buffered (a write per line made a step
 * printing 15 MB run 15 times slower) and written when a step ends, when the run ends, past
 * 64 KiB, and at process exit, so a run that ends (even by SIGTERM) never loses its tail.
 * A file that cannot be written is told once through `onError` and never stops the run.
 */
export function logFileReporter(file: string, onError: (message: string) => void): Reporter & { close(): void } {
  let fd: number | undefined;
  let broken = false;
  let pending: string[] = [];
  let size = 0;
  const fail = (error: unknown) => {
    broken = true;
    pending = [];
    onError(`runbook: log ${file} not written: ${(error as Error).message}`);
  };
  const flush = () => {
    if (broken || !pending.length) return;
    const bytes = Buffer.from(pending.join(''));
    pending = [];
    size = 0;
    try {
      fd ??= openAppendNoFollow(file);
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
    } catch (error) {
      fail(error);
    }
  };
  const close = () => {
    flush();
    process.off('exit', close);
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  process.on('exit', close);
  const plain = plainReporter({
    verbose: true,
    write: (line) => {
      if (broken) return;
      pending.push(`${line}\n`);
      size += line.length + 1;
      if (size >= FLUSH_BYTES) flush();
    },
  });
  return {
    ...plain,
    stepEnd: (step) => {
      plain.stepEnd(step);
      flush();
    },
    runEnd: (record) => {
      plain.runEnd(record);
      flush();
    },
    close,
  };
}
