import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshTempDir, runCli } from '../support/cli.js';
import { startHttpServer } from '../support/servers.js';

// The check cache (engine/playbook/check-cache.ts) keeps the playbooks that passed, keyed by the
// bytes of every playbook file: a run must never act on a verdict its files no longer earn.
const temp = freshTempDir();

function setup() {
  const books = path.join(temp.dir, 'books');
  const state = path.join(temp.dir, 'state');
  mkdirSync(books);
  const write = (name: string, text: string) => writeFileSync(path.join(books, `${name}.yaml`), text);
  const cli = (...args: string[]) => runCli(['--dir', books, ...args], { env: cliEnv(state) });
  const cache = path.join(state, 'cache');
  // One file a world (Node, build, folders): these tests use one set of folders unless they say.
  const worlds = () => (existsSync(cache) ? readdirSync(cache).filter((name) => name.startsWith('checks-')).map((name) => path.join(cache, name)) : []);
  const cacheFile = () => {
    expect(worlds()).toHaveLength(1);
    return worlds()[0]!;
  };
  return { write, cli, state, worlds, cacheFile };
}

const echo = (title: string, words: string) => `title: ${title}\nsteps:\n  - name: Say\n    type: shell\n    run: echo ${words}\n`;
const caller = 'title: Caller\nsteps:\n  - name: Call\n    type: playbook\n    playbook: callee\n';

describe('check cache', () => {
  it('a playbook edited after a run is checked again: a new problem is reported and nothing runs', async () => {
    const { write, cli, cacheFile } = setup();
    write('job', echo('Job', 'first'));
    expect((await cli('run', 'job')).stdout).toContain('first');
    expect(JSON.parse(readFileSync(cacheFile(), 'utf8')).entries).not.toEqual({});
    write('job', echo('Job', 'second'));
    expect((await cli('run', 'job')).stdout).toContain('second');
    write('job', `${echo('Job', 'third')}    timeout: soon\n`);
    const broken = await cli('run', 'job');
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/job\.yaml:\d+:\d+: .*timeout/);
    expect(broken.stdout).not.toContain('third');
  });

  it('a called playbook changed into a cycle makes its caller invalid, though the caller did not change', async () => {
    const { write, cli } = setup();
    write('caller', caller);
    write('callee', echo('Callee', 'hi'));
    expect((await cli('validate')).stdout).toContain('2 playbooks valid');
    write('callee', 'title: Callee\nsteps:\n  - name: Back\n    type: playbook\n    playbook: caller\n');
    const result = await cli('validate');
    expect(result.stderr).toContain('playbook calls make a cycle: caller → callee → caller');
    expect(result.code).toBe(3);
  });

  it('a playbook added beside them is seen by the checks of the others (a call that now resolves)', async () => {
    const { write, cli } = setup();
    write('caller', caller);
    const before = await cli('validate', path.join(temp.dir, 'books', 'caller.yaml'));
    expect(before.stderr).toContain('playbook `callee` does not exist');
    write('callee', echo('Callee', 'hi'));
    expect((await cli('validate')).stdout).toContain('2 playbooks valid');
  });

  it('is read only while no one else can write it: a forged verdict in a group-writable file is ignored', async () => {
    const { write, cli, cacheFile } = setup();
    write('job', echo('Job', 'real'));
    await cli('validate');
    // A verdict with another command than the file's: only the kept playbook is changed, not the kept texts.
    const file = cacheFile();
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { data: { steps: { run: string }[] } }> };
    for (const entry of Object.values(kept.entries)) entry.data.steps[0]!.run = 'echo forged';
    const forged = JSON.stringify(kept);
    writeFileSync(file, forged);
    // Its owner's own file (0600) is trusted: the forged verdict shows, so this test can tell.
    expect((await cli('run', 'job')).stdout).toContain('forged');
    writeFileSync(file, forged);
    chmodSync(file, 0o666);
    const run = await cli('run', 'job');
    expect(run.stdout).toContain('real');
    expect(run.stdout).not.toContain('forged');
  });

  it('keeps the verdicts of each folder set: runs with another --dir do not evict them', async () => {
    const { write, cli, state, worlds } = setup();
    write('job', echo('Job', 'one'));
    const other = path.join(temp.dir, 'other');
    mkdirSync(other);
    writeFileSync(path.join(other, 'job.yaml'), echo('Other', 'two'));
    await cli('validate');
    await runCli(['--dir', other, 'validate'], { env: cliEnv(state) });
    const folders = worlds().map((file) => JSON.parse(JSON.parse(readFileSync(file, 'utf8')).id)[2][0]);
    expect(folders.sort()).toEqual([path.join(temp.dir, 'books'), other].sort());
  });

  it('keeps the eight folder sets used last, not every one ever used', async () => {
    const { state, worlds } = setup();
    for (let i = 0; i < 9; i++) {
      const dir = path.join(temp.dir, `set-${i}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'job.yaml'), echo(`Set ${i}`, 'x'));
      await runCli(['--dir', dir, 'validate'], { env: cliEnv(state) });
    }
    const folders = worlds().map((file) => path.basename(JSON.parse(JSON.parse(readFileSync(file, 'utf8')).id)[2][0]));
    expect(folders.sort()).toEqual(['set-1', 'set-2', 'set-3', 'set-4', 'set-5', 'set-6', 'set-7', 'set-8']);
  });

  it('a call through a linked folder that becomes a cycle is seen, though the linked folder is not listed', async () => {
    const { cli } = setup();
    const books = path.join(temp.dir, 'books');
    const lib = path.join(temp.dir, 'lib');
    mkdirSync(lib);
    symlinkSync(lib, path.join(books, 'lib'));
    writeFileSync(path.join(books, 'a.yaml'), 'title: A\nsteps:\n  - { name: Call, type: playbook, playbook: lib/x }\n');
    writeFileSync(path.join(lib, 'x.yaml'), 'title: X\nsteps:\n  - { name: Call, type: playbook, playbook: lib/y }\n');
    // lib/y does not exist yet: x's own check would say so, a's finds no cycle.
    expect((await cli('validate', path.join(books, 'a.yaml'))).code).toBe(0);
    writeFileSync(path.join(lib, 'y.yaml'), 'title: Y\nsteps:\n  - { name: Back, type: playbook, playbook: a }\n');
    const again = await cli('validate', path.join(books, 'a.yaml'));
    expect(again.stderr).toContain('playbook calls make a cycle: a → lib/x → lib/y → a');
    expect(again.code).toBe(3);
  });

  it('a playbook holding what JSON cannot keep (NaN) is checked each time, never changed by the cache', async () => {
    const { write, cli } = setup();
    const server = await startHttpServer({ '/v': () => ({ body: { v: null } }) });
    try {
      write('nan', `title: NaN\nsteps:\n  - { name: Api, type: http-check, url: "${server.url}/v", expect: { json: { v: .nan } } }\n`);
      // NaN is not null: both runs fail alike (kept as JSON, the expectation would have become null and passed).
      for (let i = 0; i < 2; i++) expect((await cli('run', 'nan')).code).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('a folder that cannot be listed (too big) leaves the cache out, not the run', async () => {
    const { write, cli } = setup();
    const books = path.join(temp.dir, 'books');
    for (let i = 0; i < 10_001; i++) writeFileSync(path.join(books, `n${i}.txt`), '');
    write('job', echo('Job', 'still runs'));
    const result = await cli('run', 'job');
    expect(result.stdout).toContain('still runs');
    expect(result.code).toBe(0);
  });

  it('RUNBOOK_NO_CACHE=1 keeps no verdicts', async () => {
    const { write, state, worlds } = setup();
    write('job', echo('Job', 'x'));
    await runCli(['--dir', path.join(temp.dir, 'books'), 'validate'], { env: cliEnv(state, { RUNBOOK_NO_CACHE: '1' }) });
    expect(worlds()).toEqual([]);
  });
});
