import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/common/clock/clock.js';
import { StoreUnavailableError } from '../../src/common/event-store/event-store.errors.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { holdWriteLock } from '../support/sqlite-write-lock.js';
import { makeTempDir } from '../support/temp-dir.js';

const BUSY_MS = 1000;
/** Generous: blocking the event loop longer than this is the defect (it used to block BUSY_MS). */
const BLOCK_BOUND_MS = BUSY_MS / 4;

/** The longest gap between ticks of a 10 ms interval while `work` runs: how long the event loop was held. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs };
  } finally {
    clearInterval(ticker);
  }
}

describe('opening a SQLite store (migrations) while another process holds its write lock', () => {
  const dir = makeTempDir('shotclock-busy-open-');
  afterAll(() => dir.cleanup());
  const open = (path: string) =>
    new SqliteStorage(
      { path, synchronous: 'FULL', busyTimeoutMs: BUSY_MS, idempotencyTtlDays: () => 7 },
      new ManualClock('2026-01-22T12:00:00Z'),
    );

  it('does not hold the event loop: gives up after TIMEOUT_STORE_BUSY_MS, opens once the lock is gone', async () => {
    const path = join(dir.path, 'store.sqlite');
    await open(path).close();
    const lock = await holdWriteLock(path);
    let storage: SqliteStorage | null = null;
    try {
      const waited = await longestStall(async () => {
        const started = performance.now();
        storage = open(path);
        const error = await storage.ready().then(
          () => null,
          (failure: unknown) => failure,
        );
        return { error, ms: performance.now() - started };
      });
      expect(waited.result.error).toBeInstanceOf(StoreUnavailableError);
      expect(String(waited.result.error)).toContain('locked by another connection');
      expect(waited.result.ms).toBeGreaterThanOrEqual(BUSY_MS * 0.9);
      expect(waited.stallMs).toBeLessThan(BLOCK_BOUND_MS);

      // Asked again while the lock is still held, released meanwhile: it opens.
      const release = sleep(BUSY_MS / 2).then(() => lock.release());
      const append = storage!.events.append('s-1', [{ type: 'Opened', data: {} }], {
        expectedVersion: 'no-stream',
      });
      await release;
      expect(await append).toMatchObject({ streamVersion: 1, duplicate: false });
    } finally {
      await lock.release();
      await (storage as SqliteStorage | null)?.close();
    }
  });
});
