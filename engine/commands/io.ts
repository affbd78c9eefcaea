import type { Command } from 'commander';
import { playbookDirs } from '../playbook/locate.js';
import type { RunStore } from '../run/store.js';
import { stateDir } from '../run/state-dir.js';

/** What every command needs: where playbooks are, where runs are kept, where output goes. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  dirs(): string[];
  /** This host's run store (on a fleet host, mirrored to the fleet database); one per command. */
  store(): Promise<RunStore>;
  /** Waits for records still on their way to the fleet database; the CLI calls it before exiting. */
  close(): Promise<void>;
  env: NodeJS.ProcessEnv;
  /** The env file's settings (for declared `env:` names only). */
  settings: Record<string, string>;
}

export function commandIO(program: Command, env: NodeJS.ProcessEnv = process.env): CommandIO {
  // `runbook run x | head` closes stdout early (EPIPE), a dropped ssh session takes the terminal
  // away (EIO, with the SIGHUP that stops the run): the run must go on and record itself, not crash.
  const closed = { stdout: false, stderr: false };
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
      closed[name] = true;
    });
  }
  // Loaded when a command first needs it: `validate` or `list` start without the store and the fleet.
  let opened: Promise<{ store: RunStore; close(): Promise<void> }> | undefined;
  const err = (line: string) => {
    if (!closed.stderr) process.stderr.write(`${line}\n`);
  };
  // `io.env`, not `env`: the CLI adds the env file's fleet settings once it has read them.
  const io: CommandIO = {
    out: (line) => {
      if (!closed.stdout) process.stdout.write(`${line}\n`);
    },
    err,
    dirs: () => {
      const { dir, shipped } = program.opts<{ dir?: string; shipped?: boolean }>();
      return playbookDirs(dir, io.env, { shipped });
    },
    store: async () => (await (opened ??= import('../fleet/host-store.js').then(({ hostStore }) => hostStore({ dir: stateDir(io.env), env: io.env, warn: err })))).store,
    close: async () => (await opened)?.close(),
    env,
    settings: {},
  };
  return io;
}

/** An async action whose resolved number becomes the exit code. */
export type Action<A extends unknown[]> = (...args: A) => Promise<number>;

/** Collects repeatable options (`--param a=1 --param b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Turns an action returning an exit code into a commander action. */
export type Wrap = <A extends unknown[]>(fn: Action<A>) => (...args: A) => Promise<void>;
