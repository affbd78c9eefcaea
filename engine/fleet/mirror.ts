import type { RunRecord } from '../run/record.js';
import { RunStore } from '../run/store.js';
import type { RunWriter } from '../run/run-reader.js';

/**
 * A fleet host's store: the local files, as everywhere (locks, history, a disk-full fallback,
 * what the next run reads), and every save of a record also sent to the fleet database. The
 * central copy is written first (only queued: it cannot fail here), so a record the local disk
 * could not take still reaches the fleet.
 */
export class MirroredRunStore extends RunStore {
  constructor(dir: string, private readonly central: RunWriter) {
    super(dir);
  }

  override save(record: RunRecord): void {
    this.central.save(record);
    super.save(record);
  }

  override closeInPlace(record: RunRecord): boolean {
    this.central.save(record);
    return super.closeInPlace(record);
  }

  flush(): Promise<void> {
    return this.central.flush?.() ?? Promise.resolve();
  }
}
