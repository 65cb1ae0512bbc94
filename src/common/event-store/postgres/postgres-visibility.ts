import { errorMessage } from '../../errors/error-message.js';
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
 * The price: a transaction holding an id anywhere in the cluster (even in another database) holds
 * newer events back from readers until it ends. So an append returns once it has committed
 * (durable), not once its events are readable: waiting for that made every push wait for
 * unrelated sessions. Its events are usually readable at once (append_events says so); otherwise
 * ReadableWatch tells the log's listeners when they are. Callers that need to read their own
 * write wait for it, bounded (a projection's waitFor). The age of the oldest such transaction is
 * in Storage.condition() (see postgres-oldest-transaction.ts). A store opened with
 * `awaitReadableAppends` (tests and one-process tools that read right after writing) also waits,
 * at most the busy timeout, until an append is readable (waitUntilReadable).
 */
export const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The first re-check pause is the busy timeout / FIRST_CHECK_FRACTION (0.25 ms at the default
 * 5 s); each next one doubles, up to the busy timeout / BACKGROUND_LAST_CHECK_FRACTION (0.5 s) in the
 * background watch, CALLER_LAST_CHECK_FRACTION (0.1 s) for a caller waiting.
 */
const FIRST_CHECK_FRACTION = 20_000;
const BACKGROUND_LAST_CHECK_FRACTION = 10;
const CALLER_LAST_CHECK_FRACTION = 50;

const XMIN_NOW = 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin';

/**
 * What this process knows about which transactions have ended: every id below `horizon` has (a
 * snapshot's xmin said so, and an ended transaction stays ended). Each append_events call reports
 * its snapshot's xmin, so under concurrent appends the next append to finish usually tells that
 * older ones became readable, without a query of its own.
 */
export class VisibilityHorizon {
  private horizon = 0n;
  private readonly advanced = new Set<() => void>();

  /** Records a snapshot's xmin; tells whoever waits for the horizon to move. */
  observe(xmin: string): void {
    const value = BigInt(xmin);
    if (value <= this.horizon) return;
    this.horizon = value;
    for (const wake of [...this.advanced]) wake();
  }

  /** Every transaction id below this has ended. */
  get current(): bigint {
    return this.horizon;
  }

  /** Events of `transactionId` are readable: it and every older transaction have ended. */
  covers(transactionId: bigint): boolean {
    return transactionId < this.horizon;
  }

  /** Resolves after `ms`, or sooner when the horizon moves. Does not keep the process alive. */
  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.advanced.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.advanced.add(wake);
    });
  }
}

/**
 * Tells `onReadable` when appends that were not readable at commit become readable. One loop per
 * process at most, whatever the number of such appends: it re-reads xmin on the pool after a pause
 * that starts small and doubles up to a cap, and calls `onReadable` each time the horizon moved
 * (some of them became readable). Nothing waits for it: an append has returned at commit, and
 * followers also poll, so this only makes them see the events sooner.
 */
export class ReadableWatch {
  /** The newest transaction id not yet known to be readable; -1 when none waits. */
  private newest = -1n;
  private running = false;

  constructor(
    private readonly pool: PostgresPool,
    private readonly horizon: VisibilityHorizon,
    private readonly onReadable: () => void,
  ) {}

  /** Watches the committed `transactionId` until its events are readable. */
  watch(transactionId: string): void {
    const id = BigInt(transactionId);
    if (this.horizon.covers(id)) {
      this.onReadable();
      return;
    }
    if (id > this.newest) this.newest = id;
    if (this.running) return;
    this.running = true;
    void this.run().finally(() => (this.running = false));
  }

  private async run(): Promise<void> {
    const limitMs = this.pool.options.busyTimeoutMs;
    let pauseMs = limitMs / FIRST_CHECK_FRACTION;
    let told = this.horizon.current;
    while (!this.horizon.covers(this.newest)) {
      await this.horizon.pause(pauseMs);
      if (this.pool.isEnded) return;
      if (!this.horizon.covers(this.newest)) {
        try {
          await checkNow(this.pool, this.horizon, 'watch readability');
        } catch (error) {
          // Followers poll the log anyway; the next append that is not readable at once restarts
          // the watch.
          process.emitWarning(
            `PostgreSQL: could not check whether recent appends are readable (${errorMessage(error)}); ` +
              'followers find them at their next poll',
          );
          this.onReadable();
          return;
        }
      }
      if (this.horizon.current !== told) {
        told = this.horizon.current;
        this.onReadable();
      }
      pauseMs = Math.min(pauseMs * 2, limitMs / BACKGROUND_LAST_CHECK_FRACTION);
    }
  }
}

/**
 * Waits until events of the committed `transactionId` are readable, for at most the busy
 * timeout; resolves either way (when the wait runs out, they become readable once the older
 * transaction holding them back ends). Only for stores opened with `awaitReadableAppends`.
 */
export async function waitUntilReadable(
  pool: PostgresPool,
  horizon: VisibilityHorizon,
  transactionId: string,
): Promise<void> {
  const id = BigInt(transactionId);
  const limitMs = pool.options.busyTimeoutMs;
  const started = Date.now();
  let pauseMs = limitMs / FIRST_CHECK_FRACTION;
  while (!horizon.covers(id) && Date.now() - started < limitMs) {
    await checkNow(pool, horizon, 'wait until an append is readable');
    if (horizon.covers(id)) return;
    await horizon.pause(pauseMs);
    pauseMs = Math.min(pauseMs * 2, limitMs / CALLER_LAST_CHECK_FRACTION);
  }
}

/** Reads the oldest running transaction id now and records it. */
async function checkNow(
  pool: PostgresPool,
  horizon: VisibilityHorizon,
  operation: string,
): Promise<void> {
  const [row] = await pool.query<{ xmin: string }>(operation, XMIN_NOW);
  horizon.observe(row!.xmin);
}
