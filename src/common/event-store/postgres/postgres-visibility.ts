import type { PostgresPool, Queryable } from './postgres-pool.js';

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
 * it ends. An append returns only once its events can be read, as with SQLite: a caller that
 * appends and then reads the log (a projection catching up, a test, a client polling after a 201)
 * must see its own write. append_events reports whether that held at commit already (no older
 * transaction running, the usual case for a lone writer); otherwise `waitUntilVisible` checks.
 */
export const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The first re-check pause is the busy timeout / FIRST_CHECK_FRACTION (0.25 ms at the default
 * 5 s); each next one doubles, up to the busy timeout / LAST_CHECK_FRACTION.
 */
const FIRST_CHECK_FRACTION = 20_000;
const LAST_CHECK_FRACTION = 50;

const XMIN_NOW = 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin';

interface Waiter {
  transactionId: bigint;
  wake: () => void;
}

/**
 * What this process knows about which transactions have ended: every id below `horizon` has (a
 * snapshot's xmin said so, and an ended transaction stays ended). Each append_events call reports
 * its snapshot's xmin, so under concurrent appends a caller waiting for older transactions to end
 * usually learns it from the next append to finish, without a query of its own and without
 * holding a connection; a re-check on the pool is the fallback, after a pause that starts small.
 */
export class VisibilityHorizon {
  private horizon = 0n;
  private readonly waiters = new Set<Waiter>();

  /** Records a snapshot's xmin; wakes the waiters it covers. */
  observe(xmin: string): void {
    const value = BigInt(xmin);
    if (value <= this.horizon) return;
    this.horizon = value;
    for (const waiter of this.waiters) {
      if (waiter.transactionId < value) waiter.wake();
    }
  }

  /** Events of `transactionId` are readable: it and every older transaction have ended. */
  covers(transactionId: string): boolean {
    return BigInt(transactionId) < this.horizon;
  }

  /** Asks `client` for its xmin now; true when that makes `transactionId` readable. */
  async check(client: Queryable, transactionId: string): Promise<boolean> {
    const { rows } = await client.query<{ xmin: string }>(XMIN_NOW);
    this.observe(rows[0]!.xmin);
    return this.covers(transactionId);
  }

  /**
   * Waits until events of the committed `transactionId` are readable, for at most
   * `pool.options.busyTimeoutMs`. The events are committed either way: when the wait runs out (a
   * long transaction elsewhere), they become readable as soon as that transaction ends.
   */
  async waitUntilVisible(pool: PostgresPool, transactionId: string): Promise<void> {
    const limitMs = pool.options.busyTimeoutMs;
    const started = Date.now();
    let pauseMs = limitMs / FIRST_CHECK_FRACTION;
    while (!this.covers(transactionId) && Date.now() - started < limitMs) {
      await this.pause(BigInt(transactionId), pauseMs);
      if (this.covers(transactionId)) return;
      const [row] = await pool.query<{ xmin: string }>('wait for append visibility', XMIN_NOW);
      this.observe(row!.xmin);
      pauseMs = Math.min(pauseMs * 2, limitMs / LAST_CHECK_FRACTION);
    }
  }

  /** Resolves after `ms`, or sooner when an observation covers `transactionId`. */
  private pause(transactionId: bigint, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        transactionId,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, ms);
      this.waiters.add(waiter);
    });
  }
}

/** Waits until `transactionId`'s writes are readable (for writers that do not share a horizon). */
export async function waitUntilVisible(pool: PostgresPool, transactionId: string): Promise<void> {
  const horizon = new VisibilityHorizon();
  const [row] = await pool.query<{ xmin: string }>('wait for visibility', XMIN_NOW);
  horizon.observe(row!.xmin);
  await horizon.waitUntilVisible(pool, transactionId);
}
