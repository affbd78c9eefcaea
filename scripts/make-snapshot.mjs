// Makes node's start-up snapshot of the CLI, dist/program.blob, from dist/program.cjs, and the stamp
// beside it that bin/runbook starts from it by: `npm run build` calls it, and so does a run that
// found no snapshot for this node and this folder (bin/runbook: a package installed without a
// build, a node upgraded since), once it has finished. Shipped with the package for that.
import { readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Makes the snapshot in `dist` for this node; returns what went wrong, if anything. The stamp is
 * written either way (without a snapshot when it could not be made), so bin/runbook does not try
 * again for this node and folder.
 */
export function makeSnapshot(dist) {
  const blob = path.join(dist, 'program.blob');
  const draft = `${blob}.${process.pid}`;
  // A V8 flag in NODE_OPTIONS would be built into the snapshot, and node refuses a snapshot under
  // other flags than its own: every run without them would stop at start (exit 14).
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  // Every function compiled up front (--no-lazy), not when first called: the snapshot keeps the
  // compiled code. engine/program.ts puts the flag back to node's default before the snapshot is
  // taken, as node checks a run's flags against the snapshot's. Anything node says while making it
  // (a module it has not verified to survive a snapshot) is a failure.
  const made = spawnSync(process.execPath, ['--no-lazy', '--snapshot-blob', draft, '--build-snapshot', path.join(dist, 'program.cjs')], { env, encoding: 'utf8' });
  let problem = made.status === 0 && !made.stderr ? undefined : made.stderr || `node exited ${made.status}`;
  if (!problem) {
    // Started once as bin/runbook would start it: what is renamed into place is known to start.
    const version = JSON.parse(readFileSync(path.join(dist, '..', 'package.json'), 'utf8')).version;
    const tried = spawnSync(process.execPath, ['--snapshot-blob', draft, '--', 'runbook', '--version'], { env, encoding: 'utf8' });
    if (tried.status !== 0 || tried.stdout.trim() !== version) problem = `the snapshot did not start: ${tried.stderr || `exit ${tried.status}`}`;
  }
  if (problem) {
    rmSync(draft, { force: true });
    rmSync(blob, { force: true });
  } else {
    renameSync(draft, blob);
  }
  // Which folder and which node binary it is for, with that binary's mtime (to the nanosecond,
  // which `touch -r` copies and a JavaScript date cannot hold).
  const stamp = path.join(dist, 'program.stamp');
  writeFileSync(`${stamp}.${process.pid}`, `${realpathSync(dist)}\n${realpathSync(process.execPath)}\n${process.version}\n`);
  const touched = spawnSync('touch', ['-r', process.execPath, `${stamp}.${process.pid}`]);
  if (touched.status !== 0) problem ??= 'the stamp could not be dated (touch -r)';
  renameSync(`${stamp}.${process.pid}`, stamp);
  return problem;
}
