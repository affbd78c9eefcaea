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
    'Measured by hand along the way with `farm-bench --vs` (paired medians) and, where the machine was busy,',
    'with instruction counts under `valgrind --tool=callgrind` (the same figure whatever the load):',
    '`run hourly-alerts` 575 ms before the bundle (61e4eab), 276 ms at the previous bench, 160 ms now on a quiet',
    "machine (1077 → 875 M instructions after the check cache; the seed's bash is 922 M, `node -e 0` 507 M);",
    '`validate` 315 → 104 ms (`node -e 0`: 62 ms).',
    '',
    '- **Bundling** (esbuild, split ESM chunks): heavy libraries stay in chunks of their own, loaded by',
    '  `import()` only when a step or command uses them; each command\'s module too (engine/cli.ts), so',
    '  `validate` loads commander, its own module and the check cache. handlebars is bundled without',
    "  source-map (its own fallback); pm2's socket modules (pm2-axon, amp) are bundled into the pm2 step's",
    '  chunk instead of ~20 files required from node_modules.',
    '- **The check cache** (engine/playbook/check-cache.ts): a playbook that passed its checks is kept with',
    "  a key of node's version, the build's id and the bytes of every playbook of the folders; an unchanged",
    '  hourly run or `validate` reads the files, hashes them and loads no YAML parser, schema or template',
    '  check. The runs behind the rows show what every check afresh costs (an edit, an upgrade).',
    "- **The hourly playbook** reads swap in KB from its swap step's `used_bytes` output (assert-threshold",
    '  gives the bytes of a percentage) instead of an awk step: no process, no execa in an hourly run.',
    '- **Templates** made only of plain paths (`{{vars.swap_warn}}`) render without compiling a handlebars',
    '  template (the same text, by a property test); the rest compile as before.',
    "- **The PM2 step** asks the daemon over its RPC socket; pm2's API module (~60 ms, ~15 MB) is not",
    "  loaded for list/describe/logs. The seed's `pm2 jlist` loads it, which is most of the yardstick.",
    '- **Memory readings** come from /proc/meminfo; systeminformation is not loaded. **listr2** only for',
    '  a person at a terminal. **Schedules** in plain UTC cron are judged without cron-parser.',
    `- **Per shell step** (${m.perStep} ms over bash's fork and exec): node's \`spawn\` of a ~70 MB`,
    "  process, execa's option handling and stream plumbing, the lock rewritten twice (the step's process",
    '  group recorded for a takeover after a SIGKILL, then dropped), the record line after each step.',
    '- **The log scan** (engine/steps/pm2/log-chunk.ts) searches from the word\'s rarest byte in 512 KiB',
    '  reads (~5 GiB/s against the page cache; reading alone is ~7); the rest of its run is start-up.',
    '',
    '**What is left** (the two targets missed): the hourly run is one node process doing what the bash',
    "yardstick's one node process (`pm2 jlist`) does, plus the engine: `node -e 0` alone is 0.38× the",
    'yardstick here, and node\'s module loader, commander (~20 ms with the ~25 ESM files it and the engine',
    'load), handlebars\' chunk (loaded for any templated playbook though plain paths skip compiling) and',
    'writing the record, the index, the step states and the lock make up the rest. `validate` is the same',
    'start-up plus reading and hashing every playbook. Node 20 has no compile cache for ES modules',
    "(`module.enableCompileCache` is Node 22), which is where most of \"compiling the loaded code\" would go.",
    '',
  ].join('\n');
}
