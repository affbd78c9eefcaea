import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commandIO, type CommandIO, type Wrap } from './commands/io.js';
import { jsonText } from './commands/json.js';
import { nagiosUnknown } from './run/nagios.js';
import { envFilePath, readSettings } from './env-file.js';
import { withFleetSettings } from './fleet/config.js';
import { EXIT, RunbookError } from './errors.js';
import { packageFile } from './package-files.js';
import { cacheChecksIn } from './playbook/check-cache.js';
import { stateDir } from './run/state-dir.js';

/** Each command's module by its name, in the order help lists them: loaded only when asked for. */
const COMMANDS: Record<string, () => Promise<(program: Command, io: CommandIO, wrap: Wrap) => void>> = {
  list: async () => (await import('./commands/list.js')).registerList,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  run: async () => (await import('./commands/run.js')).registerRun,
  history: async () => (await import('./commands/history.js')).registerHistory,
  show: async () => (await import('./commands/show.js')).registerShow,
  render: async () => (await import('./commands/render.js')).registerRender,
  cron: async () => (await import('./commands/cron.js')).registerCron,
  next: async () => (await import('./commands/next.js')).registerNext,
  status: async () => (await import('./commands/status.js')).registerStatus,
  tick: async () => (await import('./commands/tick.js')).registerTick,
  doc: async () => (await import('./commands/doc.js')).registerDoc,
  dashboard: async () => (await import('./commands/dashboard.js')).registerDashboard,
  top: async () => (await import('./commands/top.js')).registerTop,
  new: async () => (await import('./commands/new.js')).registerNew,
  schema: async () => (await import('./commands/schema.js')).registerSchema,
  completion: async () => (await import('./commands/completion.js')).registerCompletion,
  agent: async () => (await import('./commands/agent.js')).registerAgent,
  fleet: async () => (await import('./commands/fleet.js')).registerFleet,
};

/**
 * The command named in `argv` (after the global options), when it is one that needs no other
 * command registered: start-up then loads that command alone. Help, completion (it lists every
 * command) and anything unknown get them all.
 */
function commandAsked(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-d' || arg === '--dir') i++;
    else if (arg === '--') return undefined;
    else if (!arg.startsWith('-')) return Object.hasOwn(COMMANDS, arg) && arg !== 'completion' ? arg : undefined;
  }
  return undefined;
}

const VERSION = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;

/** Parses arguments, runs one command, and returns the exit code. The only place that decides it. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command('runbook')
    .description('Run maintenance playbooks: checks, fixes and alerts for small production boxes')
    .version(VERSION)
    .option('-d, --dir <dir>', 'the playbook folder (else RUNBOOK_DIR; with neither: ./playbooks and the shipped ones)')
    .option('--shipped', 'with a folder named: the shipped playbooks too (a shipped one named in a command is always found)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const io = commandIO(program);
  try {
    io.settings = readSettings(io.err);
    io.env = withFleetSettings(io.env, io.settings);
    cacheChecksIn(io.env.RUNBOOK_NO_CACHE ? undefined : path.join(stateDir(io.env), 'cache'));
  } catch (error) {
    io.err(`runbook: ${envFilePath(process.env)} not read: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.UNKNOWN;
  }
  const wrap: Wrap = (fn) => async (...args) => {
    code = await fn(...args);
  };
  const asked = commandAsked(argv);
  const registers = await Promise.all((asked ? [asked] : Object.keys(COMMANDS)).map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program, io, wrap);

  // With --json, a command that fails before it has a document of its own still prints one.
  const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined);
  const json = options.includes('--json');
  // With --format nagios, NRPE still gets a status line on stdout.
  const nagios = options.includes('--format=nagios') || options.some((arg, i) => arg === '--format' && options[i + 1] === 'nagios');
  const failed = (error: { code: string; message: string; details?: string[] }) => {
    if (json) io.out(jsonText({ error: { code: error.code, message: error.message, details: error.details ?? [] }, exit_code: EXIT.UNKNOWN }));
    if (nagios) io.out(nagiosUnknown('runbook', error.message));
    return EXIT.UNKNOWN;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : failed({ code: 'BAD_ARGUMENT', message: error.message.replace(/^error: /, '') });
    if (error instanceof RunbookError) {
      io.err(`runbook: ${error.message}`);
      for (const line of error.details) io.err(line);
      failed({ code: error.code, message: error.message, details: error.details });
      return error.exitCode;
    }
    io.err(`runbook: unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
    return failed({ code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) });
  } finally {
    // A fleet host's records on their way to the fleet database (their failure was said already).
    await io.close().catch(() => {});
  }
}
