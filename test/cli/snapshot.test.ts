import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, freshTempDir, ROOT } from '../support/cli.js';

// bin/runbook starts node from the CLI's start-up snapshot (dist/program.blob, made by the build)
// when the stamp beside it names that dist/ folder and the node it finds, with that binary's mtime;
// else node runs the CLI's ES modules. A shell step shows which: its parent is the node running it.
const temp = freshTempDir();
const WHO = ['title: Who runs me', 'steps:', '  - { id: node, name: Node, type: shell, run: "tr \'\\\\0\' \' \' < /proc/$PPID/cmdline" }', ''].join('\n');
const NODE = execFileSync('sh', ['-c', 'command -v node'], { env: cliEnv('/nonexistent'), encoding: 'utf8' }).trim();

/** Runs the `who` playbook with `command` (a bin/runbook and the arguments before it) from `cwd`, giving node's command line. */
function nodeOf(command: string[], extra: Record<string, string> = {}, cwd?: string): string {
  const books = path.join(temp.dir, 'books');
  mkdirSync(books, { recursive: true });
  writeFileSync(path.join(books, 'who.yaml'), WHO);
  const result = spawnSync(command[0]!, [...command.slice(1), '--dir', books, 'run', 'who', '--verbose'], { cwd, env: cliEnv(path.join(temp.dir, 'state'), extra), encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.stdout).toContain('WHO OK - 1 step ok');
  return /\| (.*)/.exec(result.stdout)![1]!.trim();
}

/** The package copied elsewhere (its node_modules linked), with the snapshot and stamp its build made. */
function copiedPackage(): string {
  const root = path.join(temp.dir, 'package');
  for (const part of ['package.json', 'bin', 'dist', 'playbooks', 'schemas', 'scripts']) cpSync(path.join(ROOT, part), path.join(root, part), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

const stampOf = (root: string) => path.join(root, 'dist', 'program.stamp');
/** The snapshot as bin/runbook names it: beside the folder it is in, whatever that folder's path. */
const blobBeside = (bin: string) => `${path.dirname(bin)}/../dist/program.blob`;

/** A stamp as a build writes it: the folder, the node binary, dated as that binary. */
function stamp(root: string, lines: { folder: string; node: string }, mtime: Date): void {
  writeFileSync(stampOf(root), `${lines.folder}\n${lines.node}\n`);
  utimesSync(stampOf(root), mtime, mtime);
}

describe('the start-up snapshot', () => {
  it('bin/runbook starts node from the snapshot the build made', () => {
    expect(nodeOf([BIN])).toBe(`${NODE} --snapshot-blob ${blobBeside(BIN)} -- ${BIN} --dir ${path.join(temp.dir, 'books')} run who --verbose`);
  });

  it('reached through a symbolic link (npm\'s node_modules/.bin), a linked folder, or from its own folder, it starts from the same snapshot', () => {
    const link = path.join(temp.dir, '.bin', 'runbook');
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.relative(path.dirname(link), BIN), link);
    expect(nodeOf([link])).toContain(`${NODE} --snapshot-blob ${blobBeside(BIN)} -- ${link} `);
    // A folder linked to the package's bin/: its ../dist is the package's (on disk, not by name).
    const linkedFolder = path.join(temp.dir, 'x', 'bin');
    mkdirSync(path.dirname(linkedFolder), { recursive: true });
    symlinkSync(path.dirname(BIN), linkedFolder);
    expect(nodeOf([path.join(linkedFolder, 'runbook')])).toContain(`--snapshot-blob ${blobBeside(path.join(linkedFolder, 'runbook'))} --`);
    expect(nodeOf(['sh', 'runbook'], {}, path.dirname(BIN))).toMatch(new RegExp(`^${NODE} --snapshot-blob \\./\\.\\./dist/program\\.blob -- runbook `));
  });

  it('without it the same CLI runs: RUNBOOK_NO_SNAPSHOT or NODE_OPTIONS set, or run as `node bin/runbook`', () => {
    expect(nodeOf([BIN], { RUNBOOK_NO_SNAPSHOT: '1' })).toBe(`${NODE} ${BIN} --dir ${path.join(temp.dir, 'books')} run who --verbose`);
    // node refuses a snapshot under V8 flags it was not made with (exit 14, no run at all).
    expect(nodeOf([BIN], { NODE_OPTIONS: '--max-old-space-size=200' })).toBe(`${NODE} ${BIN} --dir ${path.join(temp.dir, 'books')} run who --verbose`);
    expect(nodeOf([process.execPath, BIN])).not.toContain('--snapshot-blob');
  });

  it('`runbook dashboard`, a long-running server, runs without it', async () => {
    const child = spawn(BIN, ['--dir', temp.dir, 'dashboard', '--port', '0'], { env: cliEnv(path.join(temp.dir, 'state')), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')).toEqual([NODE, BIN, '--dir', temp.dir, 'dashboard', '--port', '0', '']);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('with no snapshot for this node and folder, a run goes without and makes one for the runs after it', () => {
    const root = copiedPackage();
    const bin = path.join(root, 'bin', 'runbook');
    const dist = path.join(root, 'dist');
    const books = path.join(temp.dir, 'books');
    const realNode = realpathSync(NODE);
    const nodeTime = statSync(NODE).mtime;
    const plain = `${NODE} ${bin} --dir ${books} run who --verbose`;
    const fromSnapshot = `${NODE} --snapshot-blob ${blobBeside(bin)} -- ${bin} --dir ${books} run who --verbose`;
    // As copied: the stamp names the folder it was made in (its paths are in the snapshot).
    expect(nodeOf([bin])).toBe(plain);
    expect(readFileSync(stampOf(root), 'utf8').split('\n').slice(0, 2)).toEqual([dist, realNode]);
    expect(nodeOf([bin])).toBe(fromSnapshot);
    // Made by another node binary, or by this path's binary before an upgrade (another mtime).
    stamp(root, { folder: dist, node: '/opt/node-18/bin/node' }, nodeTime);
    expect(nodeOf([bin])).toBe(plain);
    expect(nodeOf([bin])).toBe(fromSnapshot);
    stamp(root, { folder: dist, node: realNode }, new Date(nodeTime.getTime() - 86_400_000));
    expect(nodeOf([bin])).toBe(plain);
    expect(nodeOf([bin])).toBe(fromSnapshot);
  });

  it('with a version manager\'s shim as `node` on PATH it runs without the snapshot and does not remake one after every run', () => {
    const root = copiedPackage();
    const shims = path.join(temp.dir, 'shims');
    mkdirSync(shims, { recursive: true });
    writeFileSync(path.join(shims, 'node'), `#!/bin/sh\nexec ${NODE} "$@"\n`, { mode: 0o755 });
    const copied = readFileSync(stampOf(root), 'utf8');
    expect(nodeOf([path.join(root, 'bin', 'runbook')], { PATH: `${shims}:${process.env.PATH}` })).not.toContain('--snapshot-blob');
    expect(readFileSync(stampOf(root), 'utf8')).toBe(copied);
  });

  it('a snapshot that cannot be made is stamped so and not tried again; the runs go on without it', () => {
    const root = copiedPackage();
    const bin = path.join(root, 'bin', 'runbook');
    // A library required while the snapshot is made: node refuses to make it.
    const bundle = path.join(root, 'dist', 'program.cjs');
    writeFileSync(bundle, `require('yaml');\n${readFileSync(bundle, 'utf8')}`);
    rmSync(stampOf(root));
    expect(nodeOf([bin])).toBe(`${NODE} ${bin} --dir ${path.join(temp.dir, 'books')} run who --verbose`);
    expect(existsSync(path.join(root, 'dist', 'program.blob'))).toBe(false);
    const stamped = statSync(stampOf(root)).ino;
    expect(nodeOf([bin])).not.toContain('--snapshot-blob');
    expect(statSync(stampOf(root)).ino).toBe(stamped);
  });

  it('a snapshot made with NODE_OPTIONS set still starts without them (node would refuse one made under other V8 flags)', async () => {
    const root = copiedPackage();
    rmSync(path.join(root, 'dist', 'program.blob'));
    const made = spawnSync(process.execPath, ['--input-type=module', '-e', `import { makeSnapshot } from ${JSON.stringify(path.join(root, 'scripts', 'make-snapshot.mjs'))}; const problem = makeSnapshot(${JSON.stringify(path.join(root, 'dist'))}); if (problem) throw new Error(problem);`], {
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' }, encoding: 'utf8',
    });
    expect(made.stderr).toBe('');
    expect(nodeOf([path.join(root, 'bin', 'runbook')])).toContain(`--snapshot-blob ${blobBeside(path.join(root, 'bin', 'runbook'))} --`);
  });

  it('a run from the snapshot reads its caller\'s folder and environment, not the build\'s', () => {
    const here = path.join(temp.dir, 'here');
    mkdirSync(path.join(here, 'playbooks'), { recursive: true });
    writeFileSync(path.join(here, 'playbooks', 'local.yaml'), 'title: Local\nparams:\n  word: { required: true }\nsteps:\n  - { name: Say, type: notify, channels: { stdout: true }, message: "{{params.word}}" }\n');
    const state = path.join(temp.dir, 'state');
    const run = (extra: Record<string, string>) => spawnSync(BIN, ['run', 'local', '--param', 'word=from-here'], { cwd: here, env: cliEnv(state, extra), encoding: 'utf8' });
    expect(run({}).stdout).toContain('from-here');
    const elsewhere = path.join(temp.dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'local.yaml'), readFileSync(path.join(here, 'playbooks', 'local.yaml'), 'utf8').replace('Local', 'Elsewhere'));
    expect(run({ RUNBOOK_DIR: elsewhere }).stdout).toContain('== local: Elsewhere');
  });
});
