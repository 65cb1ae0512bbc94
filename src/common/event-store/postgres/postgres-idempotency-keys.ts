import type { IdempotencyKeyRecord, MultiAppendResult } from '../event-store.port.js';
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

interface KeyRow {
  result: MultiAppendResult;
  fingerprint: string | null;
  created_at: Date;
  expires_at_ms: string;
}

/** The key unless it is absent or expired at `nowMs`. */
export async function readLiveKey(
  pool: PostgresPool,
  key: string,
  nowMs: number,
): Promise<IdempotencyKeyRecord | null> {
  const [row] = await pool.query<KeyRow>(
    `read idempotency key ${key}`,
    `SELECT result, fingerprint, created_at, expires_at_ms::text AS expires_at_ms
       FROM idempotency_keys WHERE key = $1 AND expires_at_ms > $2`,
    [key, nowMs],
  );
  if (!row) return null;
  const { streams, firstPosition, lastPosition } = row.result;
  return {
    key,
    result: { streams, firstPosition, lastPosition },
    fingerprint: row.fingerprint,
    writtenAt: row.created_at.toISOString(),
    expiresAt: new Date(Number(row.expires_at_ms)).toISOString(),
  };
}

/** Keys not expired at `nowMs` (a scan of the table: its expiry index is BRIN, see migration 9). */
export async function countLiveKeys(pool: PostgresPool, nowMs: number): Promise<number> {
  const [row] = await pool.query<{ live: string }>(
    'count idempotency keys',
    'SELECT count(*) AS live FROM idempotency_keys WHERE expires_at_ms > $1',
    [nowMs],
  );
  return Number(row?.live ?? 0);
}
