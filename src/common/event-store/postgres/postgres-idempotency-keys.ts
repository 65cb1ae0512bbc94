import type { MultiAppendResult } from '../event-store.port.js';
import type { PostgresPool, Queryable } from './postgres-pool.js';

const PURGE_CHUNK = 2000;

/**
 * Claims `key` for the caller's transaction, or returns the result stored under it (a duplicate).
 *
 * INSERT ... ON CONFLICT DO NOTHING comes first: when another transaction holds the same fresh
 * key uncommitted, the insert waits for it to end, and then either finds its row (a duplicate) or
 * takes the key (the other one rolled back). A claimed key's row stays locked until commit;
 * `storeKey` fills in the result. An expired key is taken over, as if it were not there.
 */
export async function claimKey(
  client: Queryable,
  key: string,
  nowMs: number,
): Promise<MultiAppendResult | null> {
  const inserted = await client.query(
    `INSERT INTO idempotency_keys (key, result, fingerprint, created_at, expires_at_ms)
     VALUES ($1, 'null', NULL, now(), 0) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key],
  );
  if (inserted.rowCount === 1) return null;
  const { rows } = await client.query<{
    result: MultiAppendResult;
    fingerprint: string | null;
    expires_at_ms: string;
  }>('SELECT result, fingerprint, expires_at_ms FROM idempotency_keys WHERE key = $1 FOR UPDATE', [
    key,
  ]);
  const row = rows[0];
  // Gone between the two statements (purged as expired): the key is free, claim it again.
  if (!row) return claimKey(client, key, nowMs);
  // Expired keys are not honoured even before the purge removes them.
  if (Number(row.expires_at_ms) <= nowMs) return null;
  return {
    ...row.result,
    duplicate: true,
    ...(row.fingerprint === null ? {} : { storedFingerprint: row.fingerprint }),
  };
}

/** Stores the result of the append that claimed `key` (same transaction). */
export async function storeKey(
  client: Queryable,
  key: string,
  record: { result: MultiAppendResult; fingerprint?: string; nowMs: number; expiresAtMs: number },
): Promise<void> {
  await client.query(
    `UPDATE idempotency_keys SET result = $2, fingerprint = $3, created_at = $4, expires_at_ms = $5
     WHERE key = $1`,
    [
      key,
      JSON.stringify(record.result),
      record.fingerprint ?? null,
      new Date(record.nowMs).toISOString(),
      record.expiresAtMs,
    ],
  );
}

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
