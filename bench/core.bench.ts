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

    const steps = Array.from({ length: STEPS }, (_, i) => `  - { name: step ${i}, type: shell, run: "true" }`).join('\n');
    writeFileSync(path.join(work, 'hundred.yaml'), `title: ${STEPS} steps\nsteps:\n${steps}\n`);
    writeFileSync(path.join(work, 'hundred.sh'), `#!/bin/bash\n${'/bin/sh -c true\n'.repeat(STEPS)}`);
    const playbook = measure([process.execPath, BIN, '--dir', work, 'run', 'hundred'], { env, times: 7 });
    const script = measure(['bash', path.join(work, 'hundred.sh')], { env, times: 7 });
    const perStep = (playbook.medianMs - script.medianMs - startup[1][1].medianMs) / STEPS;

    return [
      'Command: `npm run bench` (median of 15 runs; peak RSS from GNU time).',
      '',
      row(['command', 'median wall (ms)', 'vs node -e 0', 'peak RSS (MB)']),
      row(['---', '---', '---', '---']),
      ...startup.map(([name, m]) => row([name, m.medianMs, `${(m.medianMs / node.medianMs).toFixed(2)}×`, m.peakRssMb])),
      '',
      `A ${STEPS}-step playbook of \`shell: true\` against a bash script running \`/bin/sh -c true\` ${STEPS} times (median of 7):`,
      '',
      row(['command', 'median wall (ms)', 'peak RSS (MB)']),
      row(['---', '---', '---']),
      row([`runbook run (${STEPS} steps)`, playbook.medianMs, playbook.peakRssMb]),
      row([`bash script (${STEPS} commands)`, script.medianMs, script.peakRssMb]),
      '',
      `Engine overhead per step (runbook − bash − start-up) / ${STEPS}: **${perStep.toFixed(2)} ms** (target < 2 ms).`,
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
