import { round, row, type Side } from './measure.js';

type Parts = { part: string; ms: number }[];

interface Measured {
  profiles: { hourly: Parts; validate: Parts };
  hourly: { a: Side; b: Side; ratio: number };
  validate: { a: Side; b: Side; ratio: number };
  /** What any program doing validate's job pays, each against `node -e 0` (bench/run.ts validateFloors). */
  floors: Record<'printing' | 'emptySnapshot' | 'reads', { ratio: number }>;
  scan: { a: Side; b: Side };
  perStep: number;
  /** What this machine charges for a page fault (µs) and for bash's fork and exec of `sh -c true` (ms). */
  faultMicros: number;
  bareSpawn: number;
  /** What node's own spawn of the same command costs (ms), piped and in its own group as a step's. */
  nodeSpawn: number;
  /** What the engine's process runner (engine/steps/support/process.ts) costs a command (ms), in a process of its own. */
  runnerSpawn: number;
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
    'with instruction counts under `valgrind --tool=callgrind` (the same figure whatever the load), all in the',
    "caller's environment, where every node process paid ~85 ms more (below):",
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
    `- **Per shell step** (${m.perStep} ms over bash's fork and exec, ${round(m.nodeSpawn - m.bareSpawn, 2)} ms of it node's own spawn): the step's`,
    '  process group is a record appended to a journal beside the lock when it starts and one when it ends',
    '  (it was the whole lock written and renamed twice a step: 0.92–0.93× the time of 200 steps without it, paired).',
    "- **The log scan** (engine/steps/pm2/log-chunk.ts) searches from the word's rarest byte in 512 KiB reads",
    '  (its first byte, "E" of ERROR, is in every "GET": 1.6× faster).',
    '',
    '## Machines and environments differ',
    '',
    `This bench ran where a page fault costs ${m.faultMicros} µs and bash forks and execs \`sh -c true\` in ${m.bareSpawn} ms;`,
    `node's own spawn of it took ${round(m.nodeSpawn - m.bareSpawn, 2)} ms more, the engine's process runner (execa and the group) ${round(m.runnerSpawn - m.nodeSpawn, 2)} ms`,
    `more in a process of its own, and a step in a run ${round(m.perStep + m.bareSpawn - m.runnerSpawn, 2)} ms more than that (the engine's own work, ~1.4 ms by the marks below; the rest not placed).`,
    "Every command runs in cron's environment (bench/sandbox.ts). Benches up to 3643323 ran in the caller's,",
    'which on these machines sets NODE_EXTRA_CA_CERTS: with it set at all, node builds its bundled certificate',
    "store as it starts (~45 ms here, even for a file that does not exist), with the system's 144 certificates",
    "in it ~85 ms (`node -e 0`: ~131 ms against ~45 on the AMD machine of f0f635f). That made validate's ratio",
    "look better (1.28–1.33× on an Intel Xeon at ed1d794, 1.8× on AMD at 3643323) and hourly-alerts' worse",
    '(0.67–0.88×) than cron sees them; the scan row less so, as grep pays nothing and moves on its own (its',
    "GiB took 141 ms in the bench of 3643323, 223 ms in that of 2aa5f97). Node gives a child a socket as stdin",
    "by default, and bash with SHLVL unset (cron's environment) takes a socket on stdin for sshd's and reads",
    '~/.bashrc first (+180 ms to the yardstick here): commands now get /dev/null (cron gives an empty pipe).',
    "The earlier benches kept the caller's SHLVL and never met it. The page-fault cost moves the rows too:",
    '~3 µs where the bench of 2aa5f97 ran, 12–17 µs where that of 3643323 did (`node -e 0` takes ~2,000).',
    '',
    '## What is left',
    '',
    `- **validate** (${m.validate.ratio}× \`node -e 0\`): this bench puts what any program doing its job pays beside it:`,
    `  printing its line ${m.floors.printing.ratio}×, starting from a start-up snapshot of nothing else ${m.floors.emptySnapshot.ratio}×, and its own reads of`,
    `  unchanged playbooks (list the folders, read each file and the kept verdicts) with no CLI around them`,
    `  ${m.floors.reads.ratio}× (bench/validate-floor.ts, bundled, no snapshot). So 1.5× leaves nothing for an argument`,
    "  parser or the CLI's set-up. `runbook --version` from the CLI's snapshot is ~1.7× the empty one: node",
    '  deserializes the compiled CLI (commander, the engine, every step type: ~1.1 MB of bytecode, 0.7 MB of',
    "  source, their function and scope data; a 6.9 MB blob against 4.1 MB); validate's own work is ~1 ms more",
    "  (its code is compiled in the snapshot). Measured by hand in cron's environment (farm-bench, paired) and",
    '  not taken: a snapshot of only the commands cron runs 0.94× the time, the bundle minified 0.97×,',
    '  compiled lazily 0.92× on validate but 1.14× on hourly-alerts, no snapshot (the ES modules) 1.39×; a',
    "  bundle of validate alone with commander (183 KB, the checks of a changed playbook left out) 1.5–1.75×",
    "  `node -e 0` from a snapshot of its own or without one, and with those checks in it (440 KB, no",
    '  snapshot) 2.1×. Splitting step types into what checks read and what runs would shrink the CLI\'s',
    '  snapshot, not bring validate under 1.5×: that takes validate without commander and without the',
    '  CLI, a second way into the program, and even then it sits at its reads\' figure above.',
    "- **Per shell step** (~8.3 ms a step in a run of 200, timed by marks put in the engine for the purpose,",
    "  ES modules, averaged): node's native spawn 2.8 ms (it returns once the child has exec'd; 1.6–3.4 ms",
    '  in loops of bare spawns or of the process runner, from one try to the next: no steady difference);',
    "  execa ~3 ms of JavaScript (0.65 ms of options before the spawn, 1.3 ms of",
    '  stream set-up after it, ~1 ms of gathering the result after the child exits: its stream iterators and',
    '  the AbortSignals it makes and aborts, each a DOMException), the child itself ~0.7 ms; the engine ~1.4 ms',
    '  (deciding and rendering the step 0.2, its environment and checks 0.4, the group journal 0.3, the record',
    '  line, progress and alerts 0.5). The cost is flat across a run (7.5, 8.2, 7.8, 6.8 ms a step over four',
    "  hundreds of 400 steps). Measured and not taken: a full GC every 10, 25 or 50 steps (peak RSS 105 →",
    "  69–92 MiB, time 1.09×, 1.01×, 0.96×: noise), a 1 MiB young generation (1.03×); execa's `buffer: false`",
    "  with the output gathered by the engine saves ~1.4 ms a step but hands execa's bounded buffering back to",
    '  hand-written code. Under 5 ms over bash here would take ~2.2 ms off: more than the engine spends.',
    "- **The log scan**: its step reads 1 GiB from the page cache (~150–170 ms, grep's read is ~150) and searches",
    "  it (~90 ms: memchr for the word's rarest byte, then the line's end); the run around it is node's start-up",
    "  and the engine's (~140 ms with the PM2 RPC); grep starts in a millisecond. On the AMD machines a read",
    "  into memory 0–31 bytes past the file position's offset in its page copies 4× slower (the CPU's string",
    "  copy); the scanner's reads land there only on a file's first chunk. Measured and not taken: reading one",
    "  chunk ahead in node's thread pool while the chunk before is searched: 1.13× the time with 512 KiB reads,",
    "  0.98× with 2 MiB (the copy is bound by memory); scanning in two worker threads: 0.85× the wall time for",
    "  17% more CPU, slower under load.",
    "- **hourly-alerts** is one node process doing what the yardstick's `pm2 jlist` does (it loads pm2's API:",
    "  ~60 ms, ~15 MB), plus the engine: the PM2 RPC, the record, the index, the step states and the lock.",
    '',
  ].join('\n');
}
