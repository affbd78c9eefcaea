import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProcessDescription } from 'pm2';
import type { Pm2Step } from '../../playbook/types.generated.js';
import { parseDuration } from '../../duration.js';
import { errorMessage } from '../../errors.js';
import { StepFailure } from '../failure.js';
import type { StepOutcome, StepRunContext } from '../types.js';
import { inspect, logTable, tableOf } from './inspect.js';
import { scanLogs, scanLogsStep } from './logs.js';
import { nameOf, resolveTargets, summary } from './processes.js';
import type { Pm2Command, Pm2Session } from './session.js';
import { waitOnline } from './wait-online.js';

export type Pm2ActionName = Pm2Step['action'];

export interface ActionRun {
  session: Pm2Session;
  ctx: StepRunContext<Pm2Step>;
  /** `process`, or `all`. */
  target: string;
}

export interface Pm2Action {
  /**
   * Present on read-only actions, which never start a daemon: with none, the step reports this
   * output as a critical finding (every service is down) instead of failing.
   */
  noDaemon?(step: Pm2Step): Promise<Record<string, unknown>>;
  /** `resurrect` is how services come back after a reboot, so it may start the daemon. */
  startsDaemon?: boolean;
  run(run: ActionRun): Promise<StepOutcome>;
}

function logsOptions(step: Pm2Step) {
  return {
    pattern: step.pattern ?? 'ERROR',
    ignoreCase: step.ignore_case ?? false,
    since: step.since ? Date.now() - parseDuration(step.since) : undefined,
    keep: step.lines ?? 20,
  };
}

/** After a change: wait for `wait_online` when asked, then report the picked processes. */
async function afterChange(run: ActionRun, targets: string[], pick: (list: ProcessDescription[]) => ProcessDescription[]): Promise<StepOutcome> {
  const { session, ctx } = run;
  const report = async () => ({ targets, ...tableOf(pick(await session.list()), ctx) });
  if (ctx.step.wait_online) {
    try {
      await waitOnline({ session, pick, withinMs: parseDuration(ctx.step.wait_online), signal: ctx.signal, log: ctx.log });
    } catch (error) {
      if (error instanceof StepFailure) throw new StepFailure(error.message, await report());
      throw error;
    }
  }
  const output = await report();
  logTable(output.processes, ctx.log);
  return { output, value: output.online };
}

/** Acts on the processes `process` names (an unknown name fails, listing the known ones), then reports them. */
async function change(run: ActionRun, act: (targets: ProcessDescription[]) => Promise<void>): Promise<StepOutcome> {
  const targets = resolveTargets(await run.session.list(), run.target);
  const ids = new Set(targets.map((proc) => proc.pm_id));
  await act(targets);
  return afterChange(run, targets.map(nameOf), (list) => list.filter((proc) => ids.has(proc.pm_id)));
}

// What the daemon answers when a crashed process is between its exit and PM2's own restart of it.
const RESTARTING_ALREADY = /already exists|already online|already started/;

/** `pm2 <command> <process>`. */
function command(name: Pm2Command): Pm2Action {
  return {
    run: (run) => change(run, async (targets) => {
      run.ctx.log(`${name} ${targets.map(nameOf).join(', ') || '(no process)'}`);
      if (targets.length === 0) return;
      try {
        await run.session.command(name, run.target);
      } catch (error) {
        const restarting = (name === 'restart' || name === 'reload') && RESTARTING_ALREADY.test(errorMessage(error));
        if (!restarting) throw error;
        run.ctx.log(`PM2 is restarting it already (${errorMessage(error)})`);
      }
    }),
  };
}

function inspector(detailed: boolean): Pm2Action {
  return {
    // No daemon, no data: the crash count is null (not a reassuring 0) and `pm2_running` lets later steps skip.
    noDaemon: async () => ({ ...summary([]), pm2_running: false, crashes_since_previous: null, crashed: [], crash_summary: 'unknown (PM2 is not running)', crash_looping: [], crash_loop_culprit: '', most_memory: '', most_cpu: '', checked_at: null,
      no_memory_limit: [], no_memory_limit_count: null, memory_limits_percent: null, memory_limits_text: 'unknown (PM2 is not running)' }),
    run: async ({ session, ctx, target }) => inspect({ procs: resolveTargets(await session.list(), target), home: session.home, ctx, detailed }),
  };
}

export const ACTIONS: Record<Pm2ActionName, Pm2Action> = {
  list: inspector(false),
  describe: inspector(true),
  logs: {
    noDaemon: async (step) => {
      const { marks: _none, ...output } = await scanLogs({ ...logsOptions(step), targets: [], signal: new AbortController().signal });
      return { ...output, pm2_running: false };
    },
    run: async ({ session, ctx, target }) => scanLogsStep(ctx, { ...logsOptions(ctx.step), targets: resolveTargets(await session.list(), target) }),
  },
  // `pm2 start NAME` restarts a process that runs; this starts only those that do not.
  start: {
    run: (run) => change(run, async (targets) => {
      for (const proc of targets) {
        if (proc.pm2_env?.status === 'online') run.ctx.log(`${nameOf(proc)} is already online`);
        else {
          run.ctx.log(`start ${nameOf(proc)}`);
          await run.session.command('restart', String(proc.pm_id));
        }
      }
    }),
  },
  stop: command('stop'),
  restart: command('restart'),
  reload: command('reload'),
  delete: command('delete'),
  flush: command('flush'),
  save: {
    async run({ session, ctx }) {
      const list = await session.list();
      await session.command('dump');
      const dumpFile = path.join(session.home, 'dump.pm2');
      ctx.log(`saved ${list.length} processes to ${dumpFile}`);
      return { output: { saved: list.length, dump_file: dumpFile, targets: list.map(nameOf) }, value: list.length };
    },
  },
  resurrect: {
    startsDaemon: true,
    async run(run) {
      const dumps = ['dump.pm2', 'dump.pm2.bak'].map((file) => path.join(run.session.home, file));
      // pm2 never answers a resurrect without a dump file: refuse it here.
      if (!dumps.some((file) => existsSync(file))) {
        throw new StepFailure(`no saved process list under ${run.session.home} (dump.pm2): nothing to resurrect; \`action: save\` writes one`);
      }
      await run.session.command('resurrect');
      const list = await run.session.list();
      run.ctx.log(`resurrected: ${list.map(nameOf).join(', ') || '(no process)'}`);
      return afterChange(run, list.map(nameOf), (all) => all);
    },
  },
};
