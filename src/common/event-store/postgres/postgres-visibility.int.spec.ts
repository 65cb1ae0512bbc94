import {
  createScratchDatabase,
  holdTransaction,
  type ScratchDatabase,
} from '../../../../test/support/postgres-long-transaction.js';
import { postgresStorageFactory } from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import type { RecordedEvent } from '../event-envelope.js';
import type { Storage } from '../event-store.port.js';

/** Far below the 5 s busy timeout an append used to wait for readability. */
const PROMPT_MS = 1500;
const READABLE_WITHIN_MS = 5000;
const HOLD_MS = 300;

const collect = async (events: AsyncIterable<RecordedEvent>) => {
  const all: RecordedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};

/** Resolves once `storage`'s log listeners were told of an append, or rejects after `ms`. */
function toldOfAppend(storage: Storage, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no onAppended call within ${ms} ms`));
    }, ms);
    const unsubscribe = storage.events.onAppended(() => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

async function readableWithin(storage: Storage, count: number, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const seen = (await collect(storage.events.readAll())).length;
    if (seen >= count || Date.now() - started > ms) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// PostgreSQL-specific: an append returns once committed; its events are readable once every older
// transaction in the cluster has ended (see postgres-visibility.ts), and the log's listeners are
// told then.
describe('PostgreSQL append visibility', () => {
  // The service's mode: appends return at commit.
  const factory = postgresStorageFactory({ awaitReadableAppends: false });
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    await factory.dispose();
    await scratch.drop();
  });

  it('returns at commit while a transaction in another database is open; readable and told once it ends', async () => {
    const { storage } = await factory.create(new ManualClock());
    const older = await holdTransaction(scratch.url);
    try {
      const told = toldOfAppend(storage, PROMPT_MS + READABLE_WITHIN_MS);
      const started = Date.now();
      const appended = await storage.events.append('s', [{ type: 'A', data: {} }], {
        expectedVersion: 'no-stream',
        idempotencyKey: 'k',
      });
      expect(Date.now() - started).toBeLessThan(PROMPT_MS);
      // Committed, so the stream has it; gap-safe readers do not yet.
      expect(await storage.events.streamVersion('s')).toBe(1);
      expect(await collect(storage.events.readAll())).toEqual([]);
      expect(await storage.events.head()).toBeNull();

      await older.end();
      await told;
      expect((await collect(storage.events.readAll())).map((e) => e.position)).toEqual([
        appended.firstPosition,
      ]);
    } finally {
      await older.end();
      await storage.close();
    }
  });

  it('with awaitReadableAppends (tests, one-process tools), returns only once readable', async () => {
    const waiting = postgresStorageFactory();
    const { storage } = await waiting.create(new ManualClock());
    const older = await holdTransaction(scratch.url);
    try {
      // When COMMIT is sent: the append cannot be readable before.
      const ending = new Promise<number>((resolve) =>
        setTimeout(() => {
          resolve(Date.now());
          void older.end();
        }, HOLD_MS),
      );
      const appended = await storage.events.append('s', [{ type: 'A', data: {} }], {
        expectedVersion: 'no-stream',
      });
      const returnedAt = Date.now();
      expect(returnedAt).toBeGreaterThanOrEqual(await ending);
      expect((await collect(storage.events.readAll())).map((e) => e.position)).toEqual([
        appended.firstPosition,
      ]);
    } finally {
      await older.end();
      await storage.close();
      await waiting.dispose();
    }
  });

  it('makes concurrent appends readable once they have returned, in log order', async () => {
    const { storage } = await factory.create(new ManualClock());
    try {
      const positions = (
        await Promise.all(
          Array.from({ length: 16 }, async (_, caller) => {
            const mine: string[] = [];
            for (let n = 0; n < 10; n++) {
              const { firstPosition } = await storage.events.append(
                `c-${caller}`,
                [{ type: 'A', data: { n } }],
                { expectedVersion: 'any', idempotencyKey: `k-${caller}-${n}` },
              );
              mine.push(firstPosition!);
            }
            return mine;
          }),
        )
      ).flat();
      expect(await readableWithin(storage, 160, READABLE_WITHIN_MS)).toBe(160);
      const read = (await collect(storage.events.readAll())).map((e) => e.position);
      expect(read).toEqual([...positions].sort());
    } finally {
      await storage.close();
    }
  });
});
