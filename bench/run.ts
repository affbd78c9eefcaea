// `npm run bench`: every row of issue 13's table, measured side by side in one run, written to
// bench/RESULTS.md; where the time of the hourly run and of validate goes, to bench/ANALYSIS.md.
// `npx tsx bench/run.ts --quick`: 3 pairs a row, 64 MiB of logs, printed, nothing written (a sanity check).
import { build, type BuildOptions, type PluginBuild } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildId } from '../scripts/build-id.mjs';
import { analysis } from './analysis.js';
import { dashboardIdleRss } from './dashboard.js';
import { pageFaultMicros } from './machine.js';
import { paired, round, row, type Side } from './measure.js';
import { profile } from './profile.js';
import { BIN, cronEnv, openSandbox, ROOT } from './sandbox.js';

const quick = process.argv.includes('--quick');
const times = (n: number) => (quick ? 3 : n);
const node = process.execPath;
const loadavg = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

/** A bench program bundled as the CLI's libraries are (one CommonJS file, its imports inside), not run through tsx's loader. */
function bundle(entry: string, outfile: string, more: Pick<BuildOptions, 'plugins' | 'define'> = {}) {
  return build({ entryPoints: [fileURLToPath(new URL(entry, import.meta.url))], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, logLevel: 'warning', ...more });
}

/**
 * What any program doing validate's job pays over `node -e 0`, each paired with it: printing
 * validate's line; starting from a start-up snapshot that holds nothing else; validate's reads of
 * unchanged playbooks with no CLI around them (bench/validate-floor.ts). Run after `runbook
 * validate`, whose verdicts the last one reads.
 */
async function validateFloors(work: string, env: NodeJS.ProcessEnv) {
  const line = "process.stdout.write('11 playbooks valid\\n')";
  const empty = path.join(work, 'empty-snapshot.cjs');
  writeFileSync(empty, `require('node:v8').startupSnapshot.setDeserializeMainFunction(() => ${line});\n`);
  const blob = path.join(work, 'empty.blob');
  const made = spawnSync(node, ['--snapshot-blob', blob, '--build-snapshot', empty], { env, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`the empty snapshot was not made: ${made.stderr}`);
  const reads = path.join(work, 'validate-floor.cjs');
  // The build's id and a module URL in dist/, as the CLI's bundle has them: the same kept verdicts
  // and the same shipped playbooks. The checks a changed playbook needs are left out.
  const checksLeftOut = { name: 'checks-left-out', setup: (b: PluginBuild) => b.onResolve({ filter: /^\.\/check\.js$/ }, (args) => ({ path: args.path, external: true })) };
  await bundle('validate-floor.ts', reads, {
    plugins: [checksLeftOut],
    define: { __RUNBOOK_BUILD__: JSON.stringify(buildId(ROOT)), 'import.meta.url': JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'validate-floor.cjs')).href) },
  });
  const bare = [node, '-e', '0'];
  return {
    printing: paired([node, '-e', line], bare, { env, times: times(15) }),
    emptySnapshot: paired([node, '--snapshot-blob', blob], bare, { env, times: times(15) }),
    reads: paired([node, reads], bare, { env, times: times(15) }),
  };
}

const loadBefore = loadavg();
const sandbox = openSandbox(quick ? 64 * 2 ** 20 : undefined);
try {
  const { env, books } = sandbox;
  // bin/runbook itself, as `runbook` runs from PATH: it starts node from the CLI's snapshot.
  const runbook = (...args: string[]) => [BIN, '--dir', books, ...args];
  console.log('validate…');
  const validate = paired([BIN, 'validate'], [node, '-e', '0'], { env, times: times(15) });
  console.log('what validate cannot go below…');
  const floors = await validateFloors(sandbox.work, env);
  console.log('hourly-alerts…');
  const hourly = paired(runbook('run', 'hourly-alerts'), ['bash', '-c', 'free; uptime; pm2 jlist'], { env, times: times(15) });
  const rssRatio = round(hourly.a.rssMb / validate.b.rssMb, 2);
  // The rows above run with the check cache of an unchanged set of playbooks (what cron sees);
  // these say what a first run after an edit or an upgrade costs.
  console.log('cold checks…');
  const cold = { ...env, RUNBOOK_NO_CACHE: '1' };
  const validateCold = paired([BIN, 'validate'], [node, '-e', '0'], { env: cold, times: times(7) });
  const hourlyCold = paired(runbook('run', 'hourly-alerts'), ['bash', '-c', 'free; uptime; pm2 jlist'], { env: cold, times: times(7) });
  console.log('log scan…');
  const scan = paired(runbook('run', 'scan'), ['grep', '-c', 'ERROR', ...sandbox.logFiles], { env, times: times(5) });
  const scanRatio = round(scan.b.medianMs / scan.a.medianMs, 2);
  console.log('shell steps…');
  const steps = paired(runbook('run', 'steps200'), runbook('run', 'steps100'), { env, times: times(7) });
  const bash = paired(['bash', `${sandbox.work}/steps200.sh`], ['bash', `${sandbox.work}/steps100.sh`], { env, times: times(7) });
  const nodeSpawns = (count: number) => [node, fileURLToPath(new URL('node-spawns.mjs', import.meta.url)), String(count)];
  const fromNode = paired(nodeSpawns(200), nodeSpawns(100), { env, times: times(7) });
  const runner = path.join(sandbox.work, 'process-runs.cjs');
  await bundle('process-runs.ts', runner); // execa inside, required once
  const processRuns = (count: number) => [node, runner, String(count)];
  const fromRunner = paired(processRuns(200), processRuns(100), { env, times: times(7) });
  const perHundred = (pair: { a: { medianMs: number }; b: { medianMs: number } }) => Math.round(pair.a.medianMs - pair.b.medianMs) / 100;
  const bareSpawn = perHundred(bash);
  const nodeSpawn = perHundred(fromNode);
  const runnerSpawn = perHundred(fromRunner);
  const perStep = round(perHundred(steps) - bareSpawn, 2);
  const faultMicros = pageFaultMicros();
  // What the shell that started the bench would have added to every node process of every row.
  const callerVars = Object.keys(process.env).filter((name) => name.startsWith('NODE_')).sort();
  const inCaller = callerVars.length > 0 ? paired([node, '-e', '0'], [node, '-e', '0'], { env: process.env, envOfB: cronEnv(), times: times(7) }) : undefined;
  console.log('dashboard…');
  const dashboard = await dashboardIdleRss(sandbox);
  // The node flag the README used to ask for, kept as a check that the command does as well alone.
  const dashboardSmall = await dashboardIdleRss(sandbox, '--max-semi-space-size=1');
  console.log('profiles…');
  const profiles = { hourly: profile(sandbox, ['--dir', books, 'run', 'hourly-alerts']), validate: profile(sandbox, ['validate']) };
  const gib = (sandbox.logBytes / 2 ** 30).toFixed(2);
  const cpu = os.cpus();
  const machine = `${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
  const pairsNote = quick ? '3 pairs' : 'pairs';
  /** A row of the runs behind the rows: the command's median wall (and `note`), peak RSS and page faults. */
  const runRow = (what: string, run: Side, pairs: number, note = '') => row([what, `${run.medianMs} ms${note ? ` ${note}` : ''}`, `${run.rssMb} MiB`, `${run.faults}`, times(pairs)]);

  const results = [
    '# Benchmarks',
    '',
    `Command: \`npm run bench\` (bench/run.ts), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, on ${machine}.`,
    `Load average (1, 5, 15 min) ${loadBefore} at the start, ${loadavg()} at the end.`,
    `On this machine a page of fresh memory costs ${faultMicros} µs to touch (a page fault; node -e 0 takes ${validate.b.faults} of them)`,
    `and bash starts \`/bin/sh -c true\` in ${bareSpawn} ms: the ratios below move with both from one machine to the next.`,
    'Every command runs in the environment cron gives a job (bench/sandbox.ts), not that of the shell that started the bench:',
    inCaller
      ? `that one sets ${callerVars.map((name) => `\`${name}\``).join(', ')}, under which \`node -e 0\` took ${inCaller.a.medianMs} ms (${inCaller.ratio}× its ${inCaller.b.medianMs} ms here), as would every node process below${callerVars.includes('NODE_OPTIONS') ? ' (and runbook would not start from its snapshot)' : ''}.`
      : 'that one sets no NODE_* variable.',
    '',
    'Each row runs runbook and its yardstick in turn (A B A B …) after a warm-up pair, so a drift in the',
    "machine's speed moves both; the ratio is the median of the pairs' ratios. Peak RSS from GNU time",
    "(the median of the runs' peaks). runbook keeps the verdicts of its checks on unchanged playbooks",
    '(STATE_DIR/cache/checks-*.json, as cron sees them after the first run); the runs behind the rows also say',
    'what a run costs with every check afresh (after an edit or an upgrade). The hourly and log-scan rows run against a real PM2 daemon',
    `(its own PM2_HOME) with two small apps whose out and error logs hold ${gib} GiB (one in two stamped by pm2 \`time: true\`;`,
    'one line in 100 says ERROR), read from the page cache. Where the time goes: [ANALYSIS.md](ANALYSIS.md).',
    '',
    row(['what', 'runbook', 'yardstick', 'ratio', 'target', '']),
    row(['---', '---', '---', '---', '---', '---']),
    row(['`runbook validate` (the 11 shipped playbooks) vs `node -e 0`', `${validate.a.medianMs} ms`, `${validate.b.medianMs} ms`, `${validate.ratio}×`, '≤ 1.5×', verdict(validate.ratio <= 1.5)]),
    row(['`runbook run hourly-alerts` (2 PM2 apps) vs the seed\'s `free; uptime; pm2 jlist`', `${hourly.a.medianMs} ms`, `${hourly.b.medianMs} ms`, `${hourly.ratio}×`, '≤ 0.7×', verdict(hourly.ratio <= 0.7)]),
    row(['peak RSS of that hourly run vs `node -e 0`', `${hourly.a.rssMb} MiB`, `${validate.b.rssMb} MiB`, `${rssRatio}×`, '≤ 1.6×', verdict(rssRatio <= 1.6)]),
    row([`PM2 log scan of ${gib} GiB (\`action: logs\`, whole CLI run) vs \`grep -c ERROR\`, as throughput`, `${scan.a.medianMs} ms`, `${scan.b.medianMs} ms`, `${scanRatio}×`, '≥ 0.5×', verdict(scanRatio >= 0.5)]),
    row(['`runbook dashboard` idle RSS, no flags (with node\'s `--max-semi-space-size=1`)', `${dashboard} MiB (${dashboardSmall} MiB)`, '', '', '< 60 MiB', verdict(dashboard < 60)]),
    row(['engine overhead per shell step (execa) over a bare spawn', `${perStep} ms`, '', '', '≤ 5 ms', verdict(perStep <= 5)]),
    '',
    `Against validate's 1.5×: node printing its line is already ${floors.printing.ratio}× \`node -e 0\`, node from a snapshot of nothing else`,
    `${floors.emptySnapshot.ratio}×, and validate's reads of unchanged playbooks with no CLI around them ${floors.reads.ratio}× (the runs behind the rows).`,
    '',
    '## The runs behind the rows',
    '',
    row(['command', 'median wall', 'peak RSS', 'page faults', `${pairsNote}`]),
    row(['---', '---', '---', '---', '---']),
    runRow('`node -e 0`', validate.b, 15),
    runRow('`runbook validate`', validate.a, 15),
    runRow('`node -e` printing validate\'s line', floors.printing.a, 15, `(${floors.printing.ratio}× \`node -e 0\`)`),
    runRow('node from a start-up snapshot of nothing but that line', floors.emptySnapshot.a, 15, `(${floors.emptySnapshot.ratio}×)`),
    runRow('validate\'s reads of unchanged playbooks alone: no argument parser, no snapshot (bench/validate-floor.ts)', floors.reads.a, 15, `(${floors.reads.ratio}×)`),
    runRow('`runbook run hourly-alerts`', hourly.a, 15),
    runRow('`bash -c \'free; uptime; pm2 jlist\'`', hourly.b, 15),
    runRow('`runbook validate`, every check afresh (`RUNBOOK_NO_CACHE=1`)', validateCold.a, 7, `(${validateCold.ratio}× \`node -e 0\`)`),
    runRow('`runbook run hourly-alerts`, every check afresh', hourlyCold.a, 7, `(${hourlyCold.ratio}× the bash)`),
    runRow(`\`runbook run scan\` (${gib} GiB)`, scan.a, 5),
    runRow(`\`grep -c ERROR\` (${gib} GiB)`, scan.b, 5),
    runRow('`runbook run` of 100 `shell` steps (`true`)', steps.b, 7),
    runRow('`runbook run` of 200 `shell` steps', steps.a, 7),
    runRow('bash: 100 × `/bin/sh -c true`', bash.b, 7),
    runRow('bash: 200 × `/bin/sh -c true`', bash.a, 7),
    runRow('node: 100 × `spawn(\'/bin/sh\', [\'-c\', \'true\'])`, piped, own group (bench/node-spawns.mjs)', fromNode.b, 7),
    runRow('node: 200 × the same', fromNode.a, 7),
    runRow('the engine\'s process runner: 100 × `/bin/sh -c true` (bench/process-runs.ts: execa, the group, the bounds)', fromRunner.b, 7),
    runRow('the engine\'s process runner: 200 × the same', fromRunner.a, 7),
    '',
    `Per step: ((runbook 200 − runbook 100) − (bash 200 − bash 100)) / 100; node's own spawn costs ${round(nodeSpawn - bareSpawn, 2)} ms of it`,
    `(node 200 − node 100, the same way), and the engine's process runner ${round(runnerSpawn - nodeSpawn, 2)} ms more over node's spawn. Log scan throughput:`,
    `${(sandbox.logBytes / 2 ** 30 / (scan.a.medianMs / 1000)).toFixed(2)} GiB/s for the whole CLI run, grep ${(sandbox.logBytes / 2 ** 30 / (scan.b.medianMs / 1000)).toFixed(2)} GiB/s.`,
    'Dashboard: VmRSS of the server after the page, 20 status and run lists and the readings, then 10 s idle;',
    'its CPU when idle and with a page open: `bash bench/dashboard-idle.sh 60` (by hand, a few minutes).',
    '',
  ].join('\n');
  console.log(results);
  const notes = analysis({ profiles, hourly, validate, floors, scan, perStep, faultMicros, bareSpawn, nodeSpawn, runnerSpawn });
  console.log(notes);
  if (!quick) {
    writeFileSync(new URL('RESULTS.md', import.meta.url), results);
    writeFileSync(new URL('ANALYSIS.md', import.meta.url), notes);
  }
} finally {
  sandbox.close();
}
