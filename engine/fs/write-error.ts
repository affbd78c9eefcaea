/** What a failed write says, by errno: the words a person reads in `df` or `ls -l` terms. */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  ENOTDIR: 'a path component is not a folder',
};

/** `no space left on device writing /var/lib/runbook/runs/x/index.json`: one line, no stack. */
export function writeFailure(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
  return `${reason} writing ${file}`;
}
