import os from 'node:os';
import type { Redactor } from '../redact.js';
import { boundForRecord } from '../run/bound.js';
import type { RunRecord } from '../run/record.js';
import { stepKey, type IndexEntry, type ReadingPoint, type RunReader } from '../run/run-reader.js';
import { needsAttention, playbookStatus, type PlaybookStatus } from '../schedule/status.js';
import { readBox, type BoxReadings } from './box.js';
import { playbooksSignature, readPlaybooks, renderInChild, type PlaybookSet } from './playbooks.js';
import type { Pm2Reader, Pm2View } from './pm2-reader.js';
import type { FleetSource } from './fleet-view.js';
import { dashboardRedactor } from './secrets.js';

/** The version of every JSON document the dashboard serves (README, "The dashboard"). */
export const FORMAT = 1;

export interface StatusDocument {
  format: typeof FORMAT;
  generated_at: string;
  host: string;
  box: BoxReadings;
  pm2: Pm2View;
  playbooks: (PlaybookStatus & { attention: 'missed' | 'failed' | null })[];
  invalid: { name: string; problems: string[] }[];
  /** The page offers the fleet view (RUNBOOK_FLEET_URL is set). */
  fleet: boolean;
}

export type RunListEntry = IndexEntry & { playbook: string };

/** Playbooks are checked again when a file changes, and at least this often (a playbook a step calls may live elsewhere). */
const PLAYBOOKS_MAX_AGE_MS = 10 * 60_000;
/** Their firing times reach this far past the set's age limit: a look that waited on a slow read still finds its time. */
const FIRINGS_MARGIN_MS = 5 * 60_000;

/**
 * Everything the page and `top` show, read through a `RunReader` (the local files today, a
 * central store later) and masked on the way out.
 */
export class DashboardData {
  private loaded: { at: number; signature: string; set: Promise<PlaybookSet & { redactor: Redactor }> } | undefined;

  constructor(private readonly sources: {
    reader: RunReader;
    pm2: Pm2Reader;
    dirs: string[];
    env: NodeJS.ProcessEnv;
    settings: Record<string, string>;
    graceMs: number;
    /** The fleet's hosts x playbooks, on a fleet host (see fleet-view.ts). */
    fleet?: FleetSource;
  }) {}

  private playbooks() {
    const now = Date.now();
    const signature = playbooksSignature(this.sources.dirs);
    if (!this.loaded || this.loaded.signature !== signature || now - this.loaded.at > PLAYBOOKS_MAX_AGE_MS) {
      // Status asks for the next firing after now and the last one before now minus the grace.
      const window = { from: now - this.sources.graceMs, until: now + PLAYBOOKS_MAX_AGE_MS + FIRINGS_MARGIN_MS };
      const set = readPlaybooks({ dirs: this.sources.dirs, settings: this.sources.settings, window }).then((found) => ({
        ...found,
        redactor: dashboardRedactor(found.secrets, this.sources.env),
      }));
      set.catch(() => (this.loaded = undefined)); // try again on the next look
      this.loaded = { at: now, signature, set };
    }
    return this.loaded.set;
  }

  async status(): Promise<StatusDocument> {
    const { valid, invalid, redactor } = await this.playbooks();
    const now = new Date();
    const [box, pm2, statuses] = await Promise.all([
      readBox(),
      this.sources.pm2.read(),
      Promise.all(valid.map((playbook) => playbookStatus(playbook, { store: this.sources.reader, now, graceMs: this.sources.graceMs }))),
    ]);
    return redactor.deep({
      format: FORMAT,
      generated_at: now.toISOString(),
      host: os.hostname(),
      box,
      pm2,
      playbooks: statuses.map((status) => ({ ...status, attention: needsAttention(status) ?? null })),
      invalid,
      fleet: this.sources.fleet !== undefined,
    });
  }

  /** Every fleet host's playbooks from the fleet database, judged against this host's copies; undefined outside a fleet. */
  async fleet() {
    if (!this.sources.fleet) return undefined;
    const { valid, redactor } = await this.playbooks();
    return redactor.deep({ format: FORMAT, generated_at: new Date().toISOString(), hosts: await this.sources.fleet.read(valid, this.sources.graceMs) });
  }

  /** Recent runs, newest first: of one playbook, or of every playbook with records. */
  async runs(opts: { playbook?: string; limit: number }) {
    const { redactor } = await this.playbooks();
    const reader = this.sources.reader;
    const names = opts.playbook ? [opts.playbook] : await reader.playbooks();
    const indexes = await Promise.all(names.map(async (playbook) => (await reader.index(playbook)).map((entry) => ({ playbook, ...entry }))));
    const runs: RunListEntry[] = indexes.flat()
      // ISO times sort by code unit; localeCompare would load ICU's collator for good (~3 MiB).
      .sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0))
      .slice(0, opts.limit);
    return redactor.deep({ format: FORMAT, runs });
  }

  async run(runId: string): Promise<{ format: typeof FORMAT; run: RunRecord } | undefined> {
    const { redactor } = await this.playbooks();
    const record = await this.sources.reader.find(runId);
    return record && redactor.deep({ format: FORMAT, run: boundForRecord(record) });
  }

  /** The numbers a playbook's runs measured, one series per step, named as the newest run names them. */
  async readings(playbook: string, limit: number) {
    const { redactor } = await this.playbooks();
    const reader = this.sources.reader;
    const points: ReadingPoint[] = await reader.readings(playbook, limit);
    const newest = points.at(-1);
    const record = newest && (await reader.read(playbook, newest.run_id));
    const keys = [...new Set(points.flatMap((point) => Object.keys(point.values)))];
    const names = new Map(record?.steps.map((step) => [stepKey(step), step.name]));
    const series = keys.map((key) => ({ key, name: names.get(key) ?? key }));
    return redactor.deep({ format: FORMAT, playbook, series, points });
  }

  /** The checklist `runbook render NAME` prints; undefined for a playbook that is not there. */
  async checklist(name: string) {
    const { valid, redactor } = await this.playbooks();
    if (!valid.some((playbook) => playbook.name === name)) return undefined;
    return redactor.deep({ format: FORMAT, playbook: name, markdown: await renderInChild(name, this.sources.dirs) });
  }
}
