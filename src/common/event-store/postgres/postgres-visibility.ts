import type { PostgresPool } from './postgres-pool.js';

/**
 * Gap-safe reading. Positions come from a sequence, which hands out values when a transaction
 * inserts, not when it commits: a transaction that took position 9 may commit after another one
 * committed 10, and a reader that already moved past 10 would never see 9. So readers order by
 * (transaction id, global position) and only see events written by transactions older than the
 * oldest transaction still running (the snapshot's xmin). Every transaction below xmin has ended,
 * and any transaction that starts later gets a larger id, so nothing can ever appear behind a
 * reader. (Emmett and Marten read their PostgreSQL logs the same way.)
 *
 * The price: a long transaction anywhere in the cluster holds new events back from readers until
 * it ends. `waitUntilVisible` lets an append return only once its events can be read, as with SQLite.
 */
export const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/** The longest visibility wait is the busy timeout; checks start this many times more often. */
const FIRST_CHECK_FRACTION = 1000;
const LAST_CHECK_FRACTION = 50;

/**
 * Waits until events of `transactionId` are readable (every older transaction has ended), for at
 * most `pool.options.busyTimeoutMs`. The events are committed either way: when the wait runs out
 * (a long transaction elsewhere), they become readable as soon as that transaction ends.
 */
export async function waitUntilVisible(pool: PostgresPool, transactionId: string): Promise<void> {
  const limitMs = pool.options.busyTimeoutMs;
  const started = Date.now();
  let pauseMs = limitMs / FIRST_CHECK_FRACTION;
  for (;;) {
    const [row] = await pool.query<{ visible: boolean }>(
      'wait for append visibility',
      'SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS visible',
      [transactionId],
    );
    if (row?.visible || Date.now() - started >= limitMs) return;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs = Math.min(pauseMs * 2, limitMs / LAST_CHECK_FRACTION);
  }
}
