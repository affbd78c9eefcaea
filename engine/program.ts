import v8 from 'node:v8';
import { main } from './cli.js';

/** The CLI as a program: runs the command of process.argv and sets the exit code. */
async function program(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Normally nothing is left and the process ends here. If a stray handle (a process that escaped
  // its step and holds a pipe, a socket a library forgot) kept it alive, a cron job would hang:
  // this timer fires only in that case, as it does not itself keep the process alive.
  setTimeout(() => process.exit(code), 3000).unref();
}

// Made into node's start-up snapshot (`npm run build`, scripts/build.mjs), the program runs when node
// starts from it; loaded as a module (bin/runbook without the snapshot), at once.
if (v8.startupSnapshot.isBuildingSnapshot()) {
  v8.startupSnapshot.setDeserializeMainFunction(() => void program());
  // Made with --no-lazy (every function compiled up front, scripts/build.mjs): node's default again,
  // as a run from the snapshot must start with the flags it was made with.
  v8.setFlagsFromString('--lazy');
} else {
  void program();
}
