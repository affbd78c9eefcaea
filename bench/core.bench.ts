import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, row } from './measure.js';

export const title = 'Engine core: start-up and per-step overhead';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'runbook');
const STEPS = 100;

export async function run(): Promise<string> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'runbook-bench-'));
  const env = { ...process.env, RUNBOOK_STATE_DIR: path.join(work, 'state'), NO_COLOR: '1' };
  try {
    const node = measure([process.execPath, '-e', '0'], { env });
    const startup = [
      ['`node -e 0`', node],
      ['`runbook --version`', measure([process.execPath, BIN, '--version'], { env })],
      ['`runbook validate` (every shipped playbook)', measure([process.execPath, BIN, 'validate'], { env })],
      ['`runbook list`', measure([process.execPath, BIN, 'list'], { env })],
    ] as const;

    // Per step: the difference between a 200- and a 100-step run, less the same difference for
    // bash, so start-up (paid once) is not billed to the steps.
    const runs = [STEPS, 2 * STEPS].map((count) => {
      const steps = Array.from({ length: count }, (_, i) => `  - { name: step ${i}, type: shell, run: "true" }`).join('\n');
      writeFileSync(path.join(work, `steps${count}.yaml`), `title: ${count} steps\nsteps:\n${steps}\n`);
      writeFileSync(path.join(work, `steps${count}.sh`), `#!/bin/bash\n${'/bin/sh -c true\n'.repeat(count)}`);
      return {
        count,
        runbook: measure([process.execPath, BIN, '--dir', work, 'run', `steps${count}`], { env, times: 7 }),
        bash: measure(['bash', path.join(work, `steps${count}.sh`)], { env, times: 7 }),
      };
    });
    const [small, large] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const perStep = (large.runbook.medianMs - small.runbook.medianMs - (large.bash.medianMs - small.bash.medianMs)) / STEPS;

    return [
      'Command: `npm run bench` (median of 15 runs; peak RSS from GNU time).',
      '',
      row(['command', 'median wall (ms)', 'vs node -e 0', 'peak RSS (MB)']),
      row(['---', '---', '---', '---']),
      ...startup.map(([name, m]) => row([name, m.medianMs, `${(m.medianMs / node.medianMs).toFixed(2)}×`, m.peakRssMb])),
      '',
      `Playbooks of ${STEPS} and ${2 * STEPS} \`shell\` steps running \`true\`, against bash scripts running \`/bin/sh -c true\` as often (median of 7):`,
      '',
      row(['command', 'median wall (ms)', 'peak RSS (MB)']),
      row(['---', '---', '---']),
      ...runs.flatMap((r) => [row([`runbook run (${r.count} steps)`, r.runbook.medianMs, r.runbook.peakRssMb]), row([`bash script (${r.count} commands)`, r.bash.medianMs, r.bash.peakRssMb])]),
      '',
      `Engine overhead per step, ((runbook ${2 * STEPS} − runbook ${STEPS}) − (bash ${2 * STEPS} − bash ${STEPS})) / ${STEPS}: **${perStep.toFixed(2)} ms** (target < 2 ms).`,
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
