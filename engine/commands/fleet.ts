import type { Command } from 'commander';
import { RunbookError } from '../errors.js';
import { usingFleet } from '../fleet/config.js';
import type { FleetHostStatus } from '../fleet/status.js';
import type { RunJobResult } from '../fleet/boss.js';
import { durationOption } from './duration-option.js';
import { collect, type CommandIO, type Wrap } from './io.js';
import { jsonText } from './json.js';

const STATUS_WORDS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

function resultTable(results: RunJobResult[], table: (rows: Record<string, unknown>[]) => string): string {
  return table(results.map((r) => ({ HOST: r.host, STATUS: r.status, RUN: r.run_id ?? '-', SUMMARY: r.summary })));
}

function check(status: FleetHostStatus['playbooks'][number], utc: (date: Date) => string): string {
  if (status.attention === 'lost') return `LOST: ${utc(new Date(status.last_run!.started_at))}, shown UNKNOWN`;
  if (status.attention === 'missed') return `MISSED: no run since ${utc(new Date(status.missed!))}`;
  if (status.attention === 'failed') return 'FAILED';
  if (status.running_since) return `running since ${utc(new Date(status.running_since))}`;
  return status.last_run ? 'ok' : 'never run';
}

function agentText(agent: FleetHostStatus['agent'], utc: (date: Date) => string): string {
  if (!agent) return 'no agent';
  const seen = agent.last_seen ? utc(new Date(agent.last_seen)) : 'never';
  return agent.stopped_at ? `stopped ${utc(new Date(agent.stopped_at))}` : `${agent.alive ? '' : 'SILENT, '}seen ${seen}`;
}

export function registerFleet(program: Command, io: CommandIO, wrap: Wrap): void {
  const action: Wrap = (fn) => wrap((...args) => usingFleet(io.env, () => fn(...args)));
  const fleet = program.command('fleet').description('run and watch playbooks on many hosts through the fleet database (RUNBOOK_FLEET_URL)');

  fleet
    .command('run')
    .argument('<name>', 'playbook name (each host runs its own copy)')
    .option('--host <host>', 'a host to run it on (repeatable)', collect)
    .option('--all', 'every host whose agent is registered')
    .option('-p, --param <name=value>', 'a param (repeatable)', collect)
    .option('-y, --yes', 'approve every step that asks for confirmation')
    .option('--timeout <duration>', 'how long each run may take; an agent that dies mid-run is reported lost after it', '15m')
    .option('--json', 'print JSON')
    .description('run a playbook on hosts through their agents, wait, print one line per host; exits with the worst status')
    .action(action(async (name: string, flags: { host?: string[]; all?: boolean; param?: string[]; yes?: boolean; timeout: string; json?: boolean }) => {
      if (flags.all && flags.host?.length) throw new RunbookError('BAD_ARGUMENT', '--all or --host, not both');
      const [{ fleetRun }, { parsePairs }, { formatTable }] = await Promise.all([import('../fleet/dispatch.js'), import('../run/inputs.js'), import('../template/helpers.js')]);
      const results = await fleetRun({
        env: io.env, playbook: name, hosts: flags.host ?? [], all: flags.all ?? false, params: { ...parsePairs(flags.param ?? [], '--param') },
        yes: flags.yes ?? false, timeoutMs: durationOption('--timeout', flags.timeout), dirs: io.dirs(), err: io.err,
      });
      const code = Math.max(0, ...results.map((r) => (r.exit_code >= 0 && r.exit_code <= 3 ? r.exit_code : 3)));
      if (flags.json) io.out(jsonText({ playbook: name, status: STATUS_WORDS[code], exit_code: code, hosts: results }));
      else {
        io.out(resultTable(results, formatTable));
        io.out(`FLEET ${name.toUpperCase()} ${STATUS_WORDS[code]} - ${results.length} hosts: ${STATUS_WORDS.map((word) => `${results.filter((r) => r.status === word).length} ${word}`).join(', ')}`);
      }
      return code;
    }));

  fleet
    .command('status')
    .option('--json', 'print JSON')
    .option('--grace <duration>', 'how late a scheduled run may start before it counts as missed', '10m')
    .description('hosts x playbooks: last run, result, next run, MISSED, LOST runs, agent last seen; exits 2 when something needs attention')
    .action(action(async (flags: { json?: boolean; grace: string }) => {
      const graceMs = durationOption('--grace', flags.grace);
      const [{ loadEvery }, { withFleetDb }, { fleetStatus }, { formatTable }, { utcText }] = await Promise.all([
        import('../schedule/scheduled.js'), import('../fleet/session.js'), import('../fleet/status.js'), import('../template/helpers.js'), import('../schedule/time-text.js'),
      ]);
      const set = await loadEvery(io.dirs());
      const hosts = await withFleetDb(io, (db) => fleetStatus(db, { playbooks: set.valid, env: io.env, now: new Date(), graceMs }));
      const all = hosts.flatMap((h) => h.playbooks);
      const silent = hosts.filter((h) => h.agent && !h.agent.alive && !h.agent.stopped_at);
      const code = all.some((p) => p.attention) || silent.length ? 2 : all.some((p) => p.schedule && p.last_run?.status === 'WARNING') ? 1 : 0;
      if (flags.json) {
        io.out(jsonText({ status: STATUS_WORDS[code], exit_code: code, hosts }));
        return code;
      }
      io.out(formatTable(hosts.flatMap((h) => h.playbooks.map((p) => ({
        HOST: h.host,
        AGENT: agentText(h.agent, utcText),
        PLAYBOOK: p.playbook,
        'LAST RUN': p.last_run ? utcText(new Date(p.last_run.started_at)) : '-',
        RESULT: p.last_run?.status ?? '-',
        'NEXT RUN': p.next_run ? utcText(new Date(p.next_run)) : 'by hand',
        CHECK: check(p, utcText),
      })))));
      const count = (what: string) => all.filter((p) => p.attention === what).length;
      io.out(`FLEET STATUS ${STATUS_WORDS[code]} - ${hosts.length} hosts | lost=${count('lost')} missed=${count('missed')} failed=${count('failed')} silent_agents=${silent.length}`);
      return code;
    }));

  fleet
    .command('schedule')
    .option('--install', 'install the playbooks\' schedules in the fleet database (replacing the fleet\'s earlier ones)')
    .option('--uninstall', 'remove every fleet schedule')
    .description('the playbooks\' schedules as pg-boss cron: each tick runs once on every host whose agent has the playbook')
    .action(action(async (flags: { install?: boolean; uninstall?: boolean }) => {
      if (flags.install && flags.uninstall) throw new RunbookError('BAD_ARGUMENT', '--install or --uninstall, not both');
      const [{ loadEvery, requireValid }, { withFleetBoss }, schedule] = await Promise.all([
        import('../schedule/scheduled.js'), import('../fleet/session.js'), import('../fleet/schedule.js'),
      ]);
      const wanted = flags.uninstall ? [] : schedule.schedulesOf(requireValid(await loadEvery(io.dirs()), 'schedule the fleet'));
      return withFleetBoss(io, async (boss, db) => {
        if (!flags.install && !flags.uninstall) {
          const installed = await schedule.installedSchedules(db);
          for (const s of wanted) io.out(`${s.playbook}: ${s.cron} (${s.timezone})${installed.some((i) => i.playbook === s.playbook && i.cron === s.cron && i.timezone === s.timezone) ? ' installed' : ' not installed'}`);
          for (const s of installed.filter((i) => !wanted.some((w) => w.playbook === i.playbook))) io.out(`${s.playbook}: ${s.cron} (${s.timezone}) installed, no longer in these playbooks`);
          return 0;
        }
        const { installed, removed } = await schedule.syncSchedules(boss, db, wanted);
        for (const s of installed) io.out(`scheduled ${s.playbook}: ${s.cron} (${s.timezone})`);
        for (const name of removed) io.out(`unscheduled ${name}`);
        return 0;
      });
    }));
}
