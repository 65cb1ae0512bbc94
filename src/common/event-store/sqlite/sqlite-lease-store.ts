import type { LeaseRecord, LeaseStore } from '../event-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface LeaseRow {
  name: string;
  holder: string;
  expires_at_ms: number;
  acquired_at: string;
  renewed_at: string;
}

/**
 * Leases in the SQLite file: processes sharing the file (one host) share them. Time is the host's
 * wall clock (Date.now), not the service clock, which tests may drive by hand.
 */
export class SqliteLeaseStore implements LeaseStore {
  constructor(private readonly sqlite: SqliteDatabase) {}

  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.sqlite.transaction(
      `acquire lease ${name} for ${holder}`,
      () => {
        const nowMs = Date.now();
        const now = new Date(nowMs).toISOString();
        const { changes } = this.sqlite
          .statement(
            `INSERT INTO leases (name, holder, expires_at_ms, acquired_at, renewed_at)
           VALUES (@name, @holder, @expires, @now, @now)
           ON CONFLICT (name) DO UPDATE SET
             acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
             holder = excluded.holder,
             expires_at_ms = excluded.expires_at_ms,
             renewed_at = excluded.renewed_at
           WHERE leases.holder = excluded.holder OR leases.expires_at_ms <= @nowMs`,
          )
          .run({ name, holder, expires: nowMs + ttlMs, now, nowMs });
        return Number(changes) === 1;
      },
      'relaxed',
    ); // a lease lost to a power cut is taken again at the next renewal
  }

  async release(name: string, holder: string): Promise<void> {
    await this.sqlite.transaction(
      `release lease ${name} by ${holder}`,
      () => {
        this.sqlite.statement('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
      },
      'relaxed',
    );
  }

  list(): Promise<LeaseRecord[]> {
    return this.sqlite.exclusive('read leases', () =>
      (
        this.sqlite.statement('SELECT * FROM leases ORDER BY name').all() as unknown as LeaseRow[]
      ).map((row) => ({
        name: row.name,
        holder: row.holder,
        expiresAt: new Date(row.expires_at_ms).toISOString(),
        acquiredAt: row.acquired_at,
        renewedAt: row.renewed_at,
      })),
    );
  }
}
