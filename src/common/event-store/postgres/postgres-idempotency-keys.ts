import type { PostgresPool } from './postgres-pool.js';

const PURGE_CHUNK = 2000;

// Keys are claimed and stored by append_events (postgres-append-function.ts).

/** Deletes expired keys in chunks, each its own short transaction; returns how many. */
export async function purgeExpiredKeys(pool: PostgresPool, nowMs: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const deleted = await pool.transaction('purge idempotency keys', async (client) => {
      const { rowCount } = await client.query(
        `DELETE FROM idempotency_keys WHERE key IN (
           SELECT key FROM idempotency_keys WHERE expires_at_ms <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [nowMs, PURGE_CHUNK],
      );
      return rowCount ?? 0;
    });
    removed += deleted;
    if (deleted < PURGE_CHUNK) return removed;
  }
}
