import type { Side } from './measure.js';
import { row } from './measure.js';

type Parts = { part: string; ms: number }[];

interface Measured {
  profiles: { hourly: Parts; validate: Parts };
  hourly: { a: Side; b: Side; ratio: number };
  validate: { a: Side; b: Side; ratio: number };
  scan: { a: Side; b: Side };
  perStep: number;
  /** What this machine charges for a page fault (µs) and for bash's fork and exec of `sh -c true` (ms). */
  faultMicros: number;
  bareSpawn: number;
  /** What node's own spawn of the same command costs (ms), piped and in its own group as a step's. */
  nodeSpawn: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

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
    '`run hourly-alerts` 575 ms before the bundle (61e4eab), 276 ms at the previous bench, ~155 ms on a quiet',
    "machine (1077 → 830 M instructions from the check cache on; the seed's bash is 922 M, `node -e 0` 507 M);",
    '`validate` 315 → ~105 ms (`node -e 0`: 62–70 ms).',
    '',
    "- **A start-up snapshot** (scripts/build.mjs, bin/runbook): the CLI is also bundled as one CommonJS",
    "  file that node sets up in a fresh heap, every function compiled up front (`--no-lazy` while it is made),",
    "  and saves as a start-up snapshot; `runbook` starts node from it (`node --snapshot-blob`), so a run",
    "  neither finds, reads, compiles nor runs the ~45 ES modules it used to load, and compiles little lazily.",
    "  Measured by hand (farm-bench, paired medians): hourly-alerts 0.93× → 0.67–0.69× the bash, `validate`",
    "  1.56–1.64× → 1.29–1.33× `node -e 0`; compiled lazily instead, the snapshot gave 0.73×, and compiled up",
    "  front only for the modules of a run, 0.75×. The libraries only some runs need are one CommonJS file",
    "  each in dist/lib, require()d when first used (the snapshot cannot hold them: node lets only its own",
    "  modules load while one is made). A process started from the snapshot keeps ~6 MiB more (node's copy",
    "  of it, the whole CLI compiled): `runbook dashboard` runs the ES modules instead (56 MiB idle; 62 from",
    "  the snapshot), as does any run the snapshot does not fit (NODE_OPTIONS set, another node). handlebars",
    "  is bundled without source-map (its own fallback); pm2's socket modules (pm2-axon, amp) are bundled",
    "  instead of ~20 files required from node_modules.",
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
    `- **Per shell step** (${m.perStep} ms over bash's fork and exec, ${round2(m.nodeSpawn - m.bareSpawn)} ms of it node's own spawn): node forks a ~70–100 MB`,
    "  process (bash forks a 3 MB one), and after the fork every page the parent writes faults once more",
    "  (copy on write; ~280 faults a step in the parent, ~110 in bash's child); execa's option handling and",
    "  stream plumbing (~300 KB allocated a step, most of it execa's: its stream iterators take a 16 KiB",
    "  queue each from node's `events.on`); the run's own record line. The step's process group is a record",
    "  appended to a journal beside the lock when it starts and one when it ends (it was the whole lock",
    "  written and renamed twice a step: 0.92–0.93× the time of 200 steps without it, paired).",
    '- **The log scan** (engine/steps/pm2/log-chunk.ts) searches from the word\'s rarest byte in 512 KiB',
    '  reads, ~15 ms over reading the GiB alone (~210 ms here, which no buffer size from 64 KiB to 1 MiB',
    '  changed; grep reads and counts it in ~190): the rest of its run is the start-up of any run.',
    '',
    '## Machines differ',
    '',
    `This bench ran where a page fault costs ${m.faultMicros} µs and bash forks and execs \`sh -c true\` in ${m.bareSpawn} ms;`,
    `node's own spawn of it took ${round2(m.nodeSpawn - m.bareSpawn)} ms more, which leaves an engine ${round2(5 - (m.nodeSpawn - m.bareSpawn))} ms of the per-step row's 5.`,
    "The sessions' machines are not alike. Where ed1d794's bench ran (Intel Xeon; that spawn 0.78 ms, `node -e 0`",
    '118 ms): validate 1.28×, hourly 0.70×, the scan 0.57×, 5.86 ms a shell step. Where 4e5a115\'s ran',
    '(2026-11-30 18:06 UTC, AMD EPYC; a fault 11.9 µs, that spawn 4.3 ms, node\'s own 3.9 ms more): validate',
    "1.79×, hourly 0.87×, the scan 0.30× (grep read the GiB at 7.5 GiB/s; node's `read` alone copies it at ~8),",
    '9.9 ms a step. There every node process pays for each page it touches (`node -e 0`: ~2,160 faults, ~26 ms of',
    'its 112), and a start-up snapshot is little help: node copies the blob into memory and deserializes it into',
    'fresh pages (a snapshot of nothing at all takes ~2,000 faults more than `node -e 0`); `validate` from the ES',
    'modules took 0.89× the time from the snapshot, and a snapshot compiled lazily (5.1 MB, 1,600 faults fewer)',
    '0.85× on `validate` and 0.95× on hourly-alerts, where on the machine of ed1d794 compiling up front was the',
    'faster (hourly 0.67–0.69× the bash against 0.73×). Kept: up front.',
    '',
    "**What is left** (as measured on the machine of ed1d794): the hourly run is one node process doing what",
    "the bash yardstick's one node process (`pm2 jlist`) does, plus the engine: `node -e 0` alone was about half",
    "the yardstick, and a node started from a snapshot of its own ~1.1× `node -e 0` (it deserializes a larger",
    "heap: ~6.9 MB of blob).",
    "The rest is the run's own work: the PM2 RPC, writing the record, the index, the step states and the",
    "lock, and the few functions compiled on first call. `validate` is the same start-up plus reading every",
    "playbook for the check cache's key. The log scan row sits at its line (0.46–0.52× in three runs of this",
    "bench on one day): its step reads 1 GiB from the page cache (~200 ms, about grep's whole run) and",
    "searches it (~60 ms), and the run around it is node's start-up (~100 ms that day) and the engine's",
    "~40 ms; grep starts in a millisecond. Measured and not taken: reading one chunk ahead in node's thread",
    "pool while the chunk before is searched: 1.13× the time with 512 KiB reads, 0.98× with 2 MiB (the copy",
    "from the page cache is bound by memory, not by one core); scanning in two worker threads: 0.85× the wall",
    "time for 17% more CPU, slower under load; the whole CLI as one CommonJS file run through `vm.Script`",
    "with V8's code cache (before the snapshot): hourly-alerts in 0.91× the time.",
    '',
  ].join('\n');
}
