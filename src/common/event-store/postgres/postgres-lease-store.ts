import type { LeaseRecord, LeaseStore } from '../event-store.port.js';
import type { PostgresPool } from './postgres-pool.js';

interface LeaseRow {
  name: string;
  holder: string;
  expires_at: Date;
  acquired_at: Date;
  renewed_at: Date;
}

/**
 * Leases shared by every instance on the database. Expiry is computed with the database's
 * clock_timestamp(), so instances with skewed clocks still agree on who holds what.
 */
export class PostgresLeaseStore implements LeaseStore {
  constructor(private readonly pool: PostgresPool) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.pool.query<{ holder: string }>(
      `acquire lease ${name} for ${holder}`,
      `INSERT INTO leases (name, holder, expires_at, acquired_at, renewed_at)
       VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond', clock_timestamp(), clock_timestamp())
       ON CONFLICT (name) DO UPDATE SET
         acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
         holder = excluded.holder,
         expires_at = excluded.expires_at,
         renewed_at = excluded.renewed_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= clock_timestamp()
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    return rows.length === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.pool.query(
      `release lease ${name} by ${holder}`,
      'DELETE FROM leases WHERE name = $1 AND holder = $2',
      [name, holder],
    );
  }

  async list(): Promise<LeaseRecord[]> {
    const rows = await this.pool.query<LeaseRow>(
      'read leases',
      'SELECT name, holder, expires_at, acquired_at, renewed_at FROM leases ORDER BY name',
    );
    return rows.map((row) => ({
      name: row.name,
      holder: row.holder,
      expiresAt: row.expires_at.toISOString(),
      acquiredAt: row.acquired_at.toISOString(),
      renewedAt: row.renewed_at.toISOString(),
    }));
  }
}
