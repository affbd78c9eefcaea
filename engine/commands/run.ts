import type { Command } from 'commander';
import { RunbookError } from '../errors.js';
import { AGENT_GONE, withoutFleetSecret } from '../fleet/config.js';
import type { parsePairs as ParsePairs } from '../run/inputs.js';
import { plainReporter } from '../run/progress/plain.js';
import { terminalPrompter } from '../run/progress/prompter.js';
import { METRIC_NAMES } from '../steps/support/metrics.js';
import { silentReporter, teeReporter, type Reporter } from '../run/progress/reporter.js';
import type { RunRecord } from '../run/record.js';
import type { logFileReporter } from '../run/progress/log-file.js';
import { collect, type CommandIO, type Wrap } from './io.js';
import { jsonText } from './json.js';

interface RunFlags {
  param?: string[];
  var?: string[];
  metric?: string[];
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  only?: string;
  from?: string;
  verbose?: boolean;
  metricsFile?: string;
  format?: string;
}

const FORMATS = ['plain', 'json', 'nagios'];

/** Someone can answer questions: both ends are a terminal and this is not CI. */
function interactive(env: NodeJS.ProcessEnv): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !env.CI);
}

async function terminalReporter(flags: RunFlags, io: CommandIO, interrupt: AbortController): Promise<Reporter> {
  // JSON and Nagios print one document at the end and nothing else.
  if (flags.json || flags.format === 'nagios') return silentReporter;
  const asks = interactive(io.env);
  const prompter = terminalPrompter(() => interrupt.abort('Ctrl-C at a prompt'));
  // The live renderer redraws the screen: only for a person at a colour terminal.
  if (asks && !io.env.NO_COLOR && !flags.verbose) return (await import('../run/progress/live.js')).liveReporter(prompter);
  const plain = plainReporter({ write: io.out, verbose: flags.verbose });
  return asks ? { ...plain, prompter } : plain;
}

async function metricOverrides(pairs: string[], parsePairs: typeof ParsePairs): Promise<Record<string, number>> {
  const given = Object.entries(parsePairs(pairs, '--metric'));
  const unknown = given.find(([name]) => !METRIC_NAMES.includes(name))?.[0];
  if (unknown !== undefined) {
    // Loaded only for the error: the suggestion library is not start-up's to pay for.
    const { didYouMean } = await import('../suggest.js');
    throw new RunbookError('BAD_ARGUMENT', `--metric ${unknown}: no such reading${didYouMean(unknown, METRIC_NAMES)} (readings: ${METRIC_NAMES.join(', ')})`);
  }
  return Object.fromEntries(given.map(([name, text]) => {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new RunbookError('BAD_ARGUMENT', `--metric ${name}=${text}: the value must be a number`);
    return [name, value];
  }));
}

/** The `--json` document. */
function jsonDocument(record: RunRecord): object {
  const { playbook, run_id, status, exit_code, started_at, duration_ms, alerts, summary, simulated, stopped } = record;
  return {
    playbook, run_id, status, exit_code, started_at, duration_ms, alerts, summary, simulated, ...(stopped ? { stopped } : {}),
    steps: record.steps.map(({ id, name, type, status: s, level, value, output, error, duration_ms: d }) =>
      ({ id: id ?? null, name, type, status: s, level, value: value ?? null, output, error: error ?? null, duration_ms: d })),
  };
}

export function registerRun(program: Command, io: CommandIO, action: Wrap): void {
  program
    .command('run')
    .argument('<name>', 'playbook name, e.g. weekly-health or emergency/swap-thrash')
    .description('run a playbook')
    .option('-p, --param <name=value>', 'a param (repeatable)', collect)
    .option('--var <name=value>', 'override a var (repeatable)', collect)
    .option('--metric <name=value>', 'replace a reading for this run, e.g. swap.used_percent=85 (a drill)', collect)
    .option('-n, --dry-run', 'run the steps without side effects, describe the others; change nothing')
    .option('-y, --yes', 'approve every step that asks for confirmation')
    .option('--json', 'print one JSON document instead of progress (--format json)')
    .option('--format <format>', 'plain (progress, the default), json, or nagios: the status line with perfdata, then a line per step, nothing else')
    .option('--only <step>', 'run only this step (id or name)')
    .option('--from <step>', 'resume from this step (id or name)')
    .option('-v, --verbose', 'show every output line, not the last 20')
    .option('--metrics-file <file>', 'write assertion values and levels and the run status as Prometheus gauges (node_exporter textfile)')
    .action(action(async (name: string, flags: RunFlags) => {
      if (flags.format !== undefined && !FORMATS.includes(flags.format)) throw new RunbookError('BAD_ARGUMENT', `--format ${flags.format}: give ${FORMATS.join(', ')}`);
      if (flags.format === 'json') flags.json = true;
      // Loaded here, not at start-up: `runbook --version` or `list` need none of it.
      const [{ loadPlaybook }, { runPlaybook }, { parsePairs }] = await Promise.all([
        import('../playbook/load.js'), import('../run/runner.js'), import('../run/inputs.js'),
      ]);
      if (flags.dryRun) (await import('../playbook/check-cache.js')).freezeCheckCache();
      const dirs = io.dirs();
      const playbook = await loadPlaybook(name, dirs);
      const params = parsePairs(flags.param ?? [], '--param');
      const vars = parsePairs(flags.var ?? [], '--var');
      const overrides = await metricOverrides(flags.metric ?? [], parsePairs);
      const interrupt = new AbortController();
      const terminal = await terminalReporter(flags, io, interrupt);
      const onSignal = (signal: NodeJS.Signals) => interrupt.abort(signal);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // A closed terminal (ssh dropped) hangs up: the run stops as cleanly as on SIGTERM.
      process.on('SIGHUP', onSignal);
      // Started by a fleet agent (an IPC channel to it): when the agent dies, the run stops as on SIGTERM.
      const agentGone = () => interrupt.abort(AGENT_GONE);
      if (process.channel) {
        process.channel.unref();
        process.on('disconnect', agentGone);
      }
      // The fleet's database URL is runbook's own secret: steps never see it.
      const processEnv = withoutFleetSecret(io.env);
      let log: ReturnType<typeof logFileReporter> | undefined;
      try {
        if (flags.dryRun) {
          const { dryRun } = await import('../run/dry-run.js');
          const plan = await dryRun(playbook, {
            params, vars, metricOverrides: overrides, reporter: terminal, store: await io.store(), dirs, interrupt: interrupt.signal, processEnv, settings: io.settings,
          });
          if (flags.json) io.out(jsonText(plan));
          if (flags.format === 'nagios') io.out([plan.summary, ...plan.steps.map((step) => `${step.status.toUpperCase()} ${step.name}: ${step.message ?? step.would}`.replaceAll('|', '/'))].join('\n'));
          return 0;
        }
        // The log file, heartbeat and metrics file load only for a playbook or a run that has them.
        const { log: logFile, heartbeat } = playbook.data;
        log = logFile ? (await import('../run/progress/log-file.js')).logFileReporter(logFile, io.err) : undefined;
        const reporter = log ? teeReporter([terminal, log]) : terminal;
        const observers = [
          ...(heartbeat ? [(await import('../run/heartbeat.js')).heartbeatObserver(heartbeat)] : []),
          ...(flags.metricsFile ? [(await import('../run/metrics-file.js')).metricsFileObserver(flags.metricsFile)] : []),
        ];
        const { record } = await runPlaybook(playbook, {
          params, vars, yes: flags.yes, metricOverrides: overrides, only: flags.only, from: flags.from,
          reporter, store: await io.store(), dirs, interrupt: interrupt.signal, processEnv, settings: io.settings, observers,
        });
        if (flags.json) io.out(jsonText(jsonDocument(record)));
        if (flags.format === 'nagios') io.out((await import('../run/nagios.js')).nagiosLines(record).join('\n'));
        return record.exit_code ?? 3;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('SIGHUP', onSignal);
        process.off('disconnect', agentGone);
        log?.close();
      }
    }));
}
