import type { CommandIO } from '../commands/io.js';
import { bossDb, openBoss, type Boss } from './boss.js';
import { requireFleetUrl } from './config.js';
import { ensureSchema, openPool, type Db } from './db.js';

/** A short session on runbook's tables (one connection), closed after `work`. */
export async function withFleetDb<T>(io: CommandIO, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openPool(requireFleetUrl(io.env), 1);
  try {
    await ensureSchema(db);
    return await work(db);
  } finally {
    await db.end();
  }
}

/** A short pg-boss session (no maintenance, no clock), closed after `work`. */
export async function withFleetBoss<T>(io: CommandIO, work: (boss: Boss, db: Db) => Promise<T>): Promise<T> {
  const boss = await openBoss({ url: requireFleetUrl(io.env), env: io.env, supervise: false, schedule: false, onError: (message) => io.err(`runbook fleet: ${message}`) });
  try {
    const db = bossDb(boss);
    await ensureSchema(db);
    return await work(boss, db);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
