import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunbookError } from '../errors.js';
import { removeQuietly } from './remove.js';
import { PRIVATE_DIR, PRIVATE_FILE } from './safe-open.js';
import { writeFailure } from './write-error.js';

/**
 * Writes through a temporary file and a rename, so a reader never sees half a file. The file is
 * the owner's alone (0600, new folders 0700) unless `shared` (a file another program reads: a
 * node_exporter textfile, a crontab file): then the umask decides, as for any file.
 * A failure (a full disk) leaves no temporary file behind and says, on one line, what it was
 * writing.
 */
export function writeAtomic(file: string, text: string, opts: { shared?: boolean } = {}): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, ...(opts.shared ? {} : { mode: PRIVATE_DIR }) });
    // O_EXCL: a link planted under the temporary name (in /tmp, say) is refused, never followed;
    // the rename then replaces whatever sits at `file`, a planted link included, without following it.
    writeFileSync(temp, text, { mode: opts.shared ? 0o666 : PRIVATE_FILE, flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    removeQuietly(temp);
    throw new RunbookError('WRITE_FAILED', writeFailure(error, file), { cause: error });
  }
}
