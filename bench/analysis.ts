import type { Side } from './measure.js';
import { row } from './measure.js';

type Parts = { part: string; ms: number }[];

interface Measured {
  profiles: { hourly: Parts; validate: Parts };
  hourly: { a: Side; b: Side; ratio: number };
  validate: { a: Side; b: Side; ratio: number };
  scan: { a: Side; b: Side };
  perStep: number;
}

function table(parts: Parts): string[] {
  const total = parts.reduce((sum, p) => sum + p.ms, 0);
  return [
    row(['part', 'ms per run', 'share']),
    row(['---', '---', '---']),
    ...parts.slice(0, 12).map((p) => row([p.part, p.ms, `${Math.round((100 * p.ms) / total)}%`])),
    row(['(all)', Math.round(total), '100%']),
  ];
}

/** bench/ANALYSIS.md: where the time of the measured runs goes, from `node --cpu-prof`, and what is left to cut. */
export function analysis(m: Measured): string {
  return [
    '# Where the time goes (read with RESULTS.md)',
    '',
    'Written by `npm run bench` with RESULTS.md: `node --cpu-prof` on 5 runs of each command against the same',
    'sandbox, every sample put to the part of the program it was in (a library by the bundle chunk that holds',
    "it, dist/packages.json; runbook's own code; node's module loader; V8). Idle is time spent waiting: for",
    'files, the PM2 daemon, the shell steps.',
    '',
    `## \`runbook run hourly-alerts\` (${m.hourly.a.medianMs} ms wall, ${m.hourly.ratio}× the seed's bash)`,
    '',
    ...table(m.profiles.hourly),
    '',
    `## \`runbook validate\` (${m.validate.a.medianMs} ms wall, ${m.validate.ratio}× \`node -e 0\`)`,
    '',
    ...table(m.profiles.validate),
    '',
    '## What was cut, and what is left',
    '',
    'Before and after, by hand (`farm-bench --vs`, paired, load ~4, 2026-11-30): the tree before this work',
    '(61e4eab: tsc output, pm2\'s API, systeminformation) against the bundle: `run hourly-alerts` 575 → 346 ms',
    'wall, 490 → 322 ms CPU, peak RSS 83.7 → 67.2 MiB; `validate` 521 → 422 ms CPU. A shell step through',
    'execa costs ~2 ms more CPU than through bare `child_process` (5.5 against 2.0 ms a call in a loop).',
    '',
    '- **Bundling** (esbuild, split ESM chunks): one file to read and compile per group of modules',
    '  instead of ~100 small ones; heavy libraries stay in chunks of their own, loaded by `import()` only',
    '  when a step or command uses them. What remains in "compiling the loaded code" is the size of what',
    '  a command loads: yaml and handlebars (~270 KB each), execa (~240 KB), commander and the engine;',
    '  for `validate`, cron-parser with luxon (~360 KB) too.',
    "- **The PM2 step** asks the daemon over its RPC socket with pm2's own socket modules; pm2's API",
    '  module (~60 ms, ~15 MB) is no longer loaded for list/describe/logs. The seed\'s `pm2 jlist` still',
    "  loads it, which is most of the yardstick's time.",
    '- **Memory readings** come from /proc/meminfo; systeminformation (~730 KB of code) is not loaded.',
    '- **listr2** is loaded only for a person at a terminal; cron and pipes get the plain reporter.',
    '- **Schedules**: a plain cron expression in UTC (`0 * * * *`) is judged without cron-parser, luxon',
    "  and ICU's time zone data (~50 ms and ~8 MB on first use); `5#1` or another zone still loads them,",
    '  which is why `validate` (monthly-review, quarterly-review) pays for them and the hourly run does not.',
    '- **Validation on every run** is most of what is left: each run parses its playbook and the',
    '  playbooks it may call (yaml, with positions for messages), runs the precompiled schema validator,',
    '  checks every template with handlebars\' parser and the cron expression with cron-parser. A cache',
    "  keyed on node's version, the build and every file's bytes would skip it for an unchanged hourly",
    '  run; it was not built (the issue prefers a fast cold path, and it is one more thing to keep correct).',
    `- **Per shell step** (${m.perStep} ms over bash's fork and exec): node's \`spawn\` of a ~70 MB`,
    "  process (the largest part), execa's option handling and stream plumbing (~1 ms more than bare",
    '  `child_process`), the lock rewritten twice (the step\'s process group recorded for a takeover after',
    '  a SIGKILL, then dropped), and the record line written after each step.',
    '- **The log scan** reads the files at several GiB/s; its whole-CLI time is start-up, the validation',
    '  above and the RPC list, paid once.',
    '',
  ].join('\n');
}
