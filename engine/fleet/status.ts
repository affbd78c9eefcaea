import { needsAttention, playbookStatus, type PlaybookStatus, type StatusInput } from '../schedule/status.js';
import { AGENT_GONE, fleetTimings } from './config.js';
import type { Db } from './db.js';
import { LOST, markLost } from './lost.js';
import { FleetRecords } from './records.js';

export interface AgentSeen {
  last_seen: string | null;
  stopped_at: string | null;
  /** Seen within three heartbeats and not stopped. */
  alive: boolean;
}

export type FleetPlaybookStatus = PlaybookStatus & { attention: 'missed' | 'failed' | 'lost' | null };

export interface FleetHostStatus {
  host: string;
  agent: AgentSeen | null;
  playbooks: FleetPlaybookStatus[];
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** A last run whose agent died under it: expired (lost.ts), or stopped when the agent's channel closed. */
export function isLost(status: PlaybookStatus): boolean {
  const summary = status.last_run?.status === 'UNKNOWN' ? status.last_run.summary : '';
  return summary.endsWith(LOST) || summary.includes(`interrupted by ${AGENT_GONE}`);
}

/**
 * Hosts x playbooks from the fleet database: each host's runs of the playbooks it has, judged
 * against the schedules of the playbooks given (the operator's copies), as `runbook status`
 * judges one host; a lost run comes first, it says the most.
 */
export async function fleetStatus(db: Db, opts: { playbooks: StatusInput[]; env: NodeJS.ProcessEnv; now: Date; graceMs: number }): Promise<FleetHostStatus[]> {
  await markLost(db);
  const timings = fleetTimings(opts.env);
  const { rows: agents } = await db.query<{ host: string; last_seen: Date; stopped_at: Date | null; alive: boolean; playbooks: string[] }>(`
    SELECT host, last_seen, stopped_at, playbooks, (stopped_at IS NULL AND last_seen > now() - make_interval(secs => $1)) AS alive FROM runbook.agents`, [timings.heartbeatSeconds * 3]);
  const { rows: recorded } = await db.query<{ host: string }>('SELECT DISTINCT host FROM runbook.runs');
  const hosts = [...new Set([...agents.map((a) => a.host), ...recorded.map((r) => r.host)])].sort();
  return Promise.all(hosts.map(async (host) => {
    const agent = agents.find((a) => a.host === host);
    const records = new FleetRecords(db, host, { keep: timings.keepRuns });
    // A host's playbooks: those its agent has, else (no agent: cron only) those it has runs of.
    const has = new Set(agent ? agent.playbooks : await records.playbooks());
    const playbooks = await Promise.all(opts.playbooks.filter((playbook) => has.has(playbook.name)).map(async (playbook) => {
      const status = await playbookStatus(playbook, { store: records, now: opts.now, graceMs: opts.graceMs });
      return { ...status, attention: isLost(status) ? 'lost' as const : needsAttention(status) ?? null };
    }));
    return { host, agent: agent ? { last_seen: iso(agent.last_seen), stopped_at: iso(agent.stopped_at), alive: agent.alive } : null, playbooks };
  }));
}
