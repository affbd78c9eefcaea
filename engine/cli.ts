import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { registerAgent } from './commands/agent.js';
import { registerCompletion } from './commands/completion.js';
import { registerCron } from './commands/cron.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDoc } from './commands/doc.js';
import { registerFleet } from './commands/fleet.js';
import { registerHistory } from './commands/history.js';
import { commandIO, type Wrap } from './commands/io.js';
import { jsonText } from './commands/json.js';
import { nagiosUnknown } from './run/nagios.js';
import { registerList } from './commands/list.js';
import { registerNew } from './commands/new.js';
import { registerNext } from './commands/next.js';
import { registerRender } from './commands/render.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerShow } from './commands/show.js';
import { registerStatus } from './commands/status.js';
import { registerTick } from './commands/tick.js';
import { registerTop } from './commands/top.js';
import { registerValidate } from './commands/validate.js';
import { envFilePath, readSettings } from './env-file.js';
import { withFleetSettings } from './fleet/config.js';
import { EXIT, RunbookError } from './errors.js';
import { packageFile } from './package-files.js';
import { cacheChecksIn } from './playbook/check-cache.js';
import { stateDir } from './run/store.js';

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
  const commands = [registerList, registerValidate, registerRun, registerHistory, registerShow, registerRender, registerCron, registerNext, registerStatus, registerTick, registerDoc, registerDashboard, registerTop, registerNew, registerSchema, registerCompletion, registerAgent, registerFleet];
  for (const register of commands) register(program, io, wrap);

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
