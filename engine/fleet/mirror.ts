import { alertsOf } from '../run/context.js';
import type { RunRecord, StepRecord } from '../run/record.js';
import type { RunWriter } from '../run/run-reader.js';
import { RunStore } from '../run/store.js';

/**
 * A fleet host's store: the local files, as everywhere (locks, history, a disk-full fallback,
 * what the next run reads), and every save of a record also sent to the fleet database, with
 * each finished step as it comes, so a box that dies mid-run leaves what it did in the fleet.
 * The central copy is written first (only queued: it cannot fail here), so a record the local
 * disk could not take still reaches the fleet.
 */
export class MirroredRunStore extends RunStore {
  /** The (redacted) record of each run going on, by run id: nested runs share the store. */
  private readonly running = new Map<string, RunRecord>();

  constructor(dir: string, private readonly central: RunWriter) {
    super(dir);
  }

  override save(record: RunRecord): void {
    if (record.status === 'RUNNING') this.running.set(record.run_id, record);
    else this.running.delete(record.run_id);
    this.central.save(record);
    super.save(record);
  }

  /** `step` is redacted already; `record` is the run's own, so the central copy builds on the last saved one. */
  override appendStep(record: RunRecord, step: StepRecord): void {
    const saved = this.running.get(record.run_id);
    if (saved) {
      const steps = [...saved.steps, step];
      const progressed = { ...saved, steps, alerts: alertsOf(steps) };
      this.running.set(record.run_id, progressed);
      this.central.save(progressed);
    }
    super.appendStep(record, step);
  }

  override closeInPlace(record: RunRecord): boolean {
    this.central.save(record);
    return super.closeInPlace(record);
  }

  flush(): Promise<void> {
    return this.central.flush?.() ?? Promise.resolve();
  }
}
