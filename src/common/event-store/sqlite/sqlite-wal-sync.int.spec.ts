import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../../../../test/support/temp-dir.js';
import { ManualClock } from '../../clock/clock.js';
import type { RecordedEvent } from '../event-envelope.js';
import { StoreUnavailableError } from '../event-store.errors.js';
import type { FlushFile } from './sqlite-wal-sync.js';
import { SqliteStorage } from './sqlite-storage.js';

/** A disk whose flushes, while `holding`, wait until the test lets them go (or fails them). */
class HeldFlushes {
  holding = true;
  readonly started: Array<{ release: () => void; fail: (error: Error) => void }> = [];
  readonly flush: FlushFile = (file: FileHandle) => {
    if (!this.holding) return file.datasync();
    return new Promise<void>((resolve, reject) => {
      this.started.push({
        release: () => void file.datasync().then(resolve, reject),
        fail: reject,
      });
    });
  };

  async waitForFlush(count: number): Promise<void> {
    for (let tries = 0; this.started.length < count; tries++) {
      if (tries > 500) throw new Error(`expected ${count} flushes, saw ${this.started.length}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
};

const readAll = async (storage: SqliteStorage) => {
  const events: RecordedEvent[] = [];
  for await (const event of storage.events.readAll()) events.push(event);
  return events;
};

describe('SQLite under FULL: commits are flushed off the event loop', () => {
  const dir = makeTempDir('shotclock-wal-sync-');
  afterAll(() => dir.cleanup());
  let count = 0;
  const open = (flushes: HeldFlushes, synchronous: 'FULL' | 'NORMAL' = 'FULL') =>
    new SqliteStorage(
      {
        path: join(dir.path, `store-${++count}.sqlite`),
        synchronous,
        busyTimeoutMs: 1000,
        idempotencyTtlDays: () => 7,
        flushFile: flushes.flush,
      },
      new ManualClock(),
    );
  /** Opened and read once (the first read flushes what an earlier run left), then holding. */
  const openRead = async (flushes: HeldFlushes) => {
    flushes.holding = false;
    const storage = open(flushes);
    await storage.events.head();
    flushes.holding = true;
    return storage;
  };
  const append = (storage: SqliteStorage, n: number) =>
    storage.events.append(`stream-${n}`, [{ type: 'Noted', data: { n } }], {
      expectedVersion: 'any',
      idempotencyKey: `key-${n}`,
    });

  it('answers an append and lets readers see it only once its flush succeeded', async () => {
    const flushes = new HeldFlushes();
    const storage = open(flushes);
    try {
      const firstRead = storage.events.head(); // flushes what an earlier run left (nothing here)
      await flushes.waitForFlush(1);
      flushes.started[0]!.release();
      expect(await firstRead).toBeNull();
      const appended = append(storage, 1);
      await flushes.waitForFlush(2);

      expect(await settled(appended)).toBe(false);
      expect(await readAll(storage)).toEqual([]);
      expect(await storage.events.head()).toBeNull();
      expect(await storage.events.head({ committed: true })).not.toBeNull();

      flushes.started[1]!.release();
      const { lastPosition } = await appended;
      expect((await readAll(storage)).map((event) => event.data)).toEqual([{ n: 1 }]);
      expect(await storage.events.head()).toBe(lastPosition);
    } finally {
      flushes.started.forEach((flush) => flush.release());
      await storage.close();
    }
  });

  it('lets appends that arrive during a flush share the next one', async () => {
    const flushes = new HeldFlushes();
    const storage = await openRead(flushes);
    try {
      const first = append(storage, 1);
      await flushes.waitForFlush(1);
      const more = [2, 3, 4, 5].map((n) => append(storage, n));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(flushes.started).toHaveLength(1); // the others wait for the running flush to end
      flushes.started[0]!.release();
      await first;
      await flushes.waitForFlush(2);
      flushes.started[1]!.release();
      await Promise.all(more);
      expect(flushes.started).toHaveLength(2);
      expect(await readAll(storage)).toHaveLength(5);
    } finally {
      flushes.started.forEach((flush) => flush.release());
      await storage.close();
    }
  });

  it('answers 503 when the flush fails, reports the disk, and recovers on the next flush', async () => {
    const flushes = new HeldFlushes();
    const storage = await openRead(flushes);
    try {
      const appended = append(storage, 1);
      await flushes.waitForFlush(1);
      flushes.started[0]!.fail(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
      const error = await appended.then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(String((error as Error).cause)).toMatch(/store-\d+\.sqlite-wal to disk failed \(EIO/);
      expect(storage.sqlite.writes.failure).toMatch(/flushing .*-wal to disk failed/);
      expect(await storage.events.head()).toBeNull();
      expect(await storage.events.head({ committed: true })).not.toBeNull();

      // The client retries: the key was committed, and the retry's flush makes it durable.
      flushes.holding = false;
      expect((await append(storage, 1)).duplicate).toBe(true);
      expect((await readAll(storage)).map((event) => event.data)).toEqual([{ n: 1 }]);
      expect((await storage.condition()).writeFailure).toBeNull();
    } finally {
      flushes.started.forEach((flush) => flush.release());
      await storage.close();
    }
  });

  it('does not flush under NORMAL: what is committed is readable at once', async () => {
    const flushes = new HeldFlushes();
    const storage = open(flushes, 'NORMAL');
    try {
      await append(storage, 1);
      expect(await readAll(storage)).toHaveLength(1);
      expect(flushes.started).toHaveLength(0);
    } finally {
      await storage.close();
    }
  });
});
