import type { Workspace } from '../../workspace/workspace';

/**
 * What the scheduler keeps in the workspace: each job's last run (schedule_runs), which survives a closed
 * app so a missed run is caught up on the next start, and leases (leases), so two schedulers that open the
 * same workspace never run the same check at once. Every time comes from the caller (its Clock).
 */
export interface ScheduleStore {
  lastRun(key: string): Promise<Date | null>;
  /**
   * Takes the lease on `key` for `holder` until now + ttlMs when nobody holds it, when its holder's lease
   * expired, or when `holder` already holds it (a renewal). False when another holder's lease is live.
   */
  tryLease(key: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Records the run and gives the lease back, in one transaction. */
  finishRun(key: string, holder: string, ranAt: Date): Promise<void>;
  /** Gives the lease back without recording a run (the scheduler stopped before running). */
  releaseLease(key: string, holder: string): Promise<void>;
  /** Who holds `key` and until when (for tests and the Monitoring screen). */
  lease(key: string): Promise<{ holder: string; expiresAt: Date } | null>;
}

/** The part of the workspace the store needs. */
export type ScheduleStoreDb = Pick<Workspace, 'one' | 'transaction'>;

/**
 * DuckDB's words when two transactions changed the same row or key at once: the later one loses and
 * rolls back. For a lease that is the expected outcome of a race, not a failure.
 */
const WRITE_CONFLICT = /conflict|duplicate key|violates primary key/i;

export class DuckDbScheduleStore implements ScheduleStore {
  constructor(private readonly db: ScheduleStoreDb) {}

  async lastRun(key: string): Promise<Date | null> {
    const row = await this.db.one<{ ms: number }>(`SELECT epoch_ms(last_run_at) AS ms FROM schedule_runs WHERE key = ?`, [key]);
    return row ? new Date(Number(row.ms)) : null;
  }

  async tryLease(key: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    try {
      return await this.db.transaction(async (sql) => {
        const current = await sql.one<{ holder: string; expires_ms: number }>(
          `SELECT holder, epoch_ms(expires_at) AS expires_ms FROM leases WHERE key = ?`,
          [key],
        );
        if (!current) {
          await sql.run(`INSERT INTO leases VALUES (?, ?, ?::TIMESTAMPTZ)`, [key, holder, expiresAt]);
          return true;
        }
        const expired = Number(current.expires_ms) <= now.getTime();
        if (current.holder !== holder && !expired) return false;
        await sql.run(`UPDATE leases SET holder = ?, expires_at = ?::TIMESTAMPTZ WHERE key = ?`, [holder, expiresAt, key]);
        return true;
      });
    } catch (err) {
      // Two takers raced for the same key: the one whose commit lost does not hold the lease.
      if (err instanceof Error && WRITE_CONFLICT.test(err.message)) return false;
      throw err;
    }
  }

  async finishRun(key: string, holder: string, ranAt: Date): Promise<void> {
    await this.db.transaction(async (sql) => {
      await sql.run(`INSERT OR REPLACE INTO schedule_runs VALUES (?, ?::TIMESTAMPTZ)`, [key, ranAt.toISOString()]);
      await sql.run(`DELETE FROM leases WHERE key = ? AND holder = ?`, [key, holder]);
    });
  }

  async releaseLease(key: string, holder: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      await sql.run(`DELETE FROM leases WHERE key = ? AND holder = ?`, [key, holder]);
    });
  }

  async lease(key: string): Promise<{ holder: string; expiresAt: Date } | null> {
    const row = await this.db.one<{ holder: string; expires_ms: number }>(
      `SELECT holder, epoch_ms(expires_at) AS expires_ms FROM leases WHERE key = ?`,
      [key],
    );
    return row ? { holder: row.holder, expiresAt: new Date(Number(row.expires_ms)) } : null;
  }
}
