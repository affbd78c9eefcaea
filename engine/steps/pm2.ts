import type { Pm2Step } from '../playbook/types.generated.js';
import { isDuration, parseDuration } from '../duration.js';
import { StepFailure } from './failure.js';
import { ACTIONS, type Pm2ActionName } from './pm2/actions.js';
import { daemonState, NoDaemonError, pm2Home } from './pm2/daemon.js';
import { CRASH_LOOP_DEFAULTS } from './pm2/inspect.js';
import { PM2_OUTPUTS, pm2OutputsOf } from './pm2/outputs.js';
import { withPm2Rpc } from './pm2/rpc.js';
import { withPm2, type Pm2Session } from './pm2/session.js';
import { SETTLE_MS } from './pm2/wait-online.js';
import type { StepOutcome, StepRunContext, StepType } from './types.js';

const DURATION = { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d|w)$' };
const DEFAULT_TIMEOUT = '5m';
const WHOLE_LIST: Pm2ActionName[] = ['save', 'resurrect'];
const READ_ONLY = Object.entries(ACTIONS).filter(([, action]) => action.noDaemon).map(([name]) => name);
// Keys that only mean something for some actions: naming them elsewhere is a mistake worth a message.
const ONLY_FOR: Partial<Record<keyof Pm2Step, Pm2ActionName[]>> = {
  wait_online: ['start', 'restart', 'reload', 'resurrect'],
  since: ['logs'],
  pattern: ['logs'],
  ignore_case: ['logs'],
  lines: ['logs'],
  crash_loop: ['list', 'describe'],
};

const WORDS: Record<Pm2ActionName, string> = {
  list: 'list', describe: 'describe', start: 'start', stop: 'stop', restart: 'restart', reload: 'reload (zero-downtime)',
  delete: 'delete', save: 'save the process list of', resurrect: 'resurrect the saved processes of', flush: 'flush the logs of', logs: 'scan the logs of',
};

function describe(step: Pm2Step): string {
  const target = WHOLE_LIST.includes(step.action) ? 'PM2' : step.process === undefined || step.process === 'all' ? 'every PM2 process' : `PM2 process ${step.process}`;
  const extras = [
    step.action === 'logs' && `for /${step.pattern ?? 'ERROR'}/${step.since ? ` in the last ${step.since}` : ''}`,
    step.wait_online && `wait until online (${step.wait_online})`,
  ].filter(Boolean);
  return [`${WORDS[step.action]} ${target}`, ...extras].join(', ');
}

/** No daemon: a read-only action reports it (every service is down); any other cannot act. */
async function withoutDaemon(ctx: StepRunContext<Pm2Step>, message: string): Promise<StepOutcome> {
  const noDaemon = ACTIONS[ctx.step.action].noDaemon;
  if (!noDaemon) throw new StepFailure(`${message}; nothing to ${ctx.step.action} (\`action: resurrect\` brings the saved processes back)`);
  ctx.log(message, 'stderr');
  return { level: 'critical', message, value: 0, output: await noDaemon(ctx.step) };
}

export const pm2: StepType<Pm2Step> = {
  summary: 'Lists, inspects, starts, stops, restarts, saves or resurrects PM2 processes, or scans their logs, through the PM2 daemon.',
  schema: {
    properties: {
      action: { enum: Object.keys(ACTIONS), description: 'What to do, as the pm2 command of the same name' },
      process: { type: ['string', 'integer'], description: 'A process name, a pm_id, or all (the default)' },
      wait_online: { ...DURATION, description: `After a (re)start: wait up to this long until every targeted process is online and has stayed up ${SETTLE_MS / 1000}s` },
      since: { ...DURATION, description: 'logs: only lines from this long ago' },
      pattern: { type: 'string', minLength: 1, description: 'logs: a JavaScript regular expression (default ERROR)' },
      ignore_case: { type: 'boolean', description: 'logs: match the pattern in any case, as grep -i (default false)' },
      lines: { type: 'integer', minimum: 0, maximum: 1000, description: 'logs: how many of the last matching lines to keep (default 20)' },
      crash_loop: {
        type: 'object',
        additionalProperties: false,
        description: `list/describe: a process restarted by crashes more than \`restarts\` times \`within\` is crash-looping (default ${CRASH_LOOP_DEFAULTS.restarts} in ${CRASH_LOOP_DEFAULTS.within})`,
        properties: {
          restarts: { type: 'integer', minimum: 0, description: `More crash restarts than this is a loop (default ${CRASH_LOOP_DEFAULTS.restarts})` },
          within: { ...DURATION, description: `The window the restarts are counted in (default ${CRASH_LOOP_DEFAULTS.within})` },
        },
      },
    },
    required: ['action'],
  },
  outputs: PM2_OUTPUTS,
  outputsOf: pm2OutputsOf,
  example: `- id: pm2
  name: PM2 processes
  type: pm2
  action: list`,
  // A wedged daemon must not hold an hourly run (and its lock) for ever; wait_online counts inside it.
  defaultTimeout: DEFAULT_TIMEOUT,
  sideEffects: (step) => !READ_ONLY.includes(step.action),
  check(step, report) {
    for (const [key, actions] of Object.entries(ONLY_FOR)) {
      if (step[key as keyof Pm2Step] !== undefined && !actions.includes(step.action)) report([key], `\`${key}\` only applies to action ${actions.join(', ')}`);
    }
    if (step.process !== undefined && WHOLE_LIST.includes(step.action)) report(['process'], `\`${step.action}\` acts on the whole process list: remove \`process\``);
    if (step.wait_online && isDuration(step.wait_online) && parseDuration(step.wait_online) < 2 * SETTLE_MS) {
      report(['wait_online'], `\`wait_online\` must be at least ${(2 * SETTLE_MS) / 1000}s: a process has to stay up ${SETTLE_MS / 1000}s to count as online`);
    }
    const limit = step.timeout ?? DEFAULT_TIMEOUT;
    if (step.wait_online && isDuration(step.wait_online) && isDuration(limit) && parseDuration(step.wait_online) >= parseDuration(limit)) {
      report(['wait_online'], `\`wait_online\` (${step.wait_online}) must be shorter than the step's timeout (${limit}${step.timeout ? '' : ', the default for pm2 steps'}): raise \`timeout\``);
    }
    if (step.pattern !== undefined && !step.pattern.includes('{{')) {
      try {
        new RegExp(step.pattern);
      } catch (error) {
        report(['pattern'], `\`pattern\` is not a valid regular expression: ${(error as Error).message}`);
      }
    }
  },
  describe,

  async run(ctx) {
    const home = pm2Home(ctx.env);
    const action = ACTIONS[ctx.step.action];
    const daemon = daemonState(home);
    if (daemon.state === 'denied') throw new StepFailure(daemon.message);
    if (daemon.state === 'absent' && !action.startsDaemon) return withoutDaemon(ctx, daemon.message);
    try {
      const work = (session: Pm2Session) => action.run({ session, ctx, target: String(ctx.step.process ?? 'all') });
      // Looking needs only the daemon's RPC socket; changing things goes through pm2's API.
      return await (action.noDaemon ? withPm2Rpc({ home, signal: ctx.signal }, work) : withPm2({ home, mayStartDaemon: !!action.startsDaemon }, work));
    } catch (error) {
      // The daemon died between the look at its files and the connection.
      if (error instanceof NoDaemonError) return withoutDaemon(ctx, error.message);
      throw error;
    }
  },
};
