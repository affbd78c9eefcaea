// N × `/bin/sh -c true` through the engine's own process runner (engine/steps/support/process.ts:
// execa, the command's process group, the output bounds), one after another: what a shell step
// costs before the engine decides, renders and records it. bench/run.ts bundles it with esbuild
// (as the CLI's libraries are) and runs `node process-runs.cjs N`; beside node-spawns.mjs (node's
// bare spawn) it splits the per-step row.
import { runProcess } from '../engine/steps/support/process.js';

async function main(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await runProcess({ file: '/bin/sh', args: ['-c', 'true'], env: { PATH: process.env.PATH }, signal: new AbortController().signal, onLine: () => {} });
  }
}

void main(Number(process.argv[2]));
