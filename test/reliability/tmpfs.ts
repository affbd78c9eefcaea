import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

/**
 * A real small tmpfs for disk-full and read-only faults. Mounting needs root (or CAP_SYS_ADMIN):
 * where it is not allowed, `mountTmpfs` says why and the caller skips with that message.
 */
export function mountTmpfs(dir: string, size: string): string | undefined {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return 'not root: mounting a tmpfs is not allowed here';
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  return result.status === 0 ? undefined : `mount -t tmpfs failed: ${(result.stderr || result.error?.message || '').trim()}`;
}

export function remount(dir: string, mode: 'ro' | 'rw'): void {
  const result = spawnSync('mount', ['-o', `remount,${mode}`, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`remount ${mode} ${dir}: ${result.stderr}`);
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}
