import type { Command } from 'commander';
import { playbookDirs } from '../playbook/locate.js';
import { RunStore, stateDir } from '../run/store.js';

/** What every command needs: where playbooks are, where runs are kept, where output goes. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  dirs(): string[];
  store(): RunStore;
  env: NodeJS.ProcessEnv;
  /** The env file's settings (for declared `env:` names only). */
  settings: Record<string, string>;
}

export function commandIO(program: Command, env: NodeJS.ProcessEnv = process.env): CommandIO {
  // `runbook run x | head` closes stdout early: the run must go on and record itself, not crash.
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
  });
  return {
    out: (line) => {
      if (!stdoutClosed) process.stdout.write(`${line}\n`);
    },
    err: (line) => process.stderr.write(`${line}\n`),
    dirs: () => {
      const { dir, shipped } = program.opts<{ dir?: string; shipped?: boolean }>();
      return playbookDirs(dir, env, { shipped });
    },
    store: () => new RunStore(stateDir(env)),
    env,
    settings: {},
  };
}

/** An async action whose resolved number becomes the exit code. */
export type Action<A extends unknown[]> = (...args: A) => Promise<number>;

/** Collects repeatable options (`--param a=1 --param b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Turns an action returning an exit code into a commander action. */
export type Wrap = <A extends unknown[]>(fn: Action<A>) => (...args: A) => Promise<void>;
