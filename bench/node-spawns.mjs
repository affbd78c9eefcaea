// `node bench/node-spawns.mjs N`: N × `/bin/sh -c true` from node, one after another, each in its
// own process group with its output piped, as a shell step's command is started: what node's own
// spawn costs, below which no shell step can go.
import { spawn } from 'node:child_process';

const count = Number(process.argv[2]);
for (let i = 0; i < count; i++) {
  await new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject).on('close', resolve);
  });
}
