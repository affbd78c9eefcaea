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
    '`run hourly-alerts` 575 ms before the bundle (61e4eab), 276 ms at the previous bench, ~155 ms now on a quiet',
    "machine (1077 → 830 M instructions from the check cache on; the seed's bash is 922 M, `node -e 0` 507 M);",
    '`validate` 315 → ~105 ms (`node -e 0`: 62–70 ms).',
    '',
    '- **Bundling** (esbuild, split ESM chunks): heavy libraries stay in chunks of their own, loaded by',
    '  `import()` only when a step or command uses them; each command\'s module too (engine/cli.ts), so',
    '  `validate` loads commander, its own module and the check cache. handlebars is bundled without',
    "  source-map (its own fallback); pm2's socket modules (pm2-axon, amp) are bundled into the pm2 step's",
    '  chunk instead of ~20 files required from node_modules.',
    '- **The check cache** (engine/playbook/check-cache.ts): a playbook that passed its checks is kept with',
    "  a key of node's version, the build's id and the bytes of every playbook of the folders; an unchanged",
    '  hourly run or `validate` reads the files, compares them with the kept texts and loads no YAML parser,',
    '  schema or template',
    '  check. The runs behind the rows show what every check afresh costs (an edit, an upgrade).',
    "- **The hourly playbook** reads swap in KB from its swap step's `used_bytes` output (assert-threshold",
    '  gives the bytes of a percentage) instead of an awk step: no process, no execa in an hourly run.',
    '- **Templates** made only of plain paths (`{{vars.swap_warn}}`) render without handlebars (the same',
    '  text, by a property test); handlebars itself loads, from a CommonJS file of its own, on the first',
    '  template that needs compiling, so a quiet hourly run never loads it.',
    "- **The PM2 step** asks the daemon over its RPC socket; pm2's API module (~60 ms, ~15 MB) is not",
    "  loaded for list/describe/logs. The seed's `pm2 jlist` loads it, which is most of the yardstick.",
    '- **Memory readings** come from /proc/meminfo; systeminformation is not loaded. **listr2** only for',
    '  a person at a terminal. **Schedules** in plain UTC cron are judged without cron-parser.',
    `- **Per shell step** (${m.perStep} ms over bash's fork and exec): node's \`spawn\` of a ~70 MB`,
    "  process, execa's option handling and stream plumbing, the lock rewritten twice (the step's process",
    '  group recorded for a takeover after a SIGKILL, then dropped), the record line after each step.',
    '- **The log scan** (engine/steps/pm2/log-chunk.ts) searches from the word\'s rarest byte in 512 KiB',
    '  reads, ~15 ms over reading the GiB alone (~210 ms here, which no buffer size from 64 KiB to 1 MiB',
    '  changed; grep reads and counts it in ~190): the rest of its run is the start-up of any run.',
    '',
    '**What is left**: the hourly run is one node process doing what the bash',
    "yardstick's one node process (`pm2 jlist`) does, plus the engine: `node -e 0` alone is 0.38× the",
    'yardstick here; node\'s module loader with the ~45 ES modules a run loads (the step types, the runner,',
    'the record store; each a file to fetch, link and compile), commander, and writing the record, the',
    'index, the step states and the lock make up the rest. `validate` is the same start-up (commander and',
    '~20 modules) plus reading every playbook for the cache\'s key. Node 20 has no compile cache for ES modules',
    "(`module.enableCompileCache` is Node 22), which is where most of \"compiling the loaded code\" would go.",
    'Measured and not taken: the whole CLI as one CommonJS file run through `vm.Script` with V8\'s code cache',
    'ran hourly-alerts in 0.91× the time of this build but peaked 15 MiB higher (every library in one file);',
    'scanning the logs in two worker threads took 0.85× the wall time for 17% more CPU, and under load it was',
    'slower (the copy from the page cache is bound by memory, not by one core).',
    '',
  ].join('\n');
}
