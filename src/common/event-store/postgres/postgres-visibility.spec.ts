import pg from 'pg';
import {
  postgresStorageFactory,
  schemaOf,
  TEST_DATABASE_URL,
} from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import type { RecordedEvent } from '../event-envelope.js';

const HOLD_MS = 300;

const collect = async (events: AsyncIterable<RecordedEvent>) => {
  const all: RecordedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};

// PostgreSQL-specific: an append returns once its events are readable (see postgres-visibility.ts),
// whether that held at commit (append_events says so) or needs waiting for an older transaction.
describe('PostgreSQL append visibility', () => {
  const factory = postgresStorageFactory();
  afterAll(() => factory.dispose());

  it('returns only once an older open transaction has ended, and is readable then', async () => {
    const { storage } = await factory.create(new ManualClock());
    const older = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${schemaOf(storage)}`,
    });
    await older.connect();
    try {
      await older.query('BEGIN');
      // Takes a transaction id older than the append's: its events must wait for this one.
      await older.query('SELECT pg_current_xact_id()');
      const started = Date.now();
      const ending = new Promise<number>((resolve) =>
        setTimeout(() => void older.query('COMMIT').then(() => resolve(Date.now())), HOLD_MS),
      );
      const appended = await storage.events.append('s', [{ type: 'A', data: {} }], {
        expectedVersion: 'no-stream',
        idempotencyKey: 'k',
      });
      const returnedAt = Date.now();
      const endedAt = await ending;

      expect(returnedAt - started).toBeGreaterThanOrEqual(HOLD_MS - 5);
      expect(returnedAt).toBeGreaterThanOrEqual(endedAt - 5);
      expect((await collect(storage.events.readAll())).map((e) => e.position)).toEqual([
        appended.firstPosition,
      ]);
    } finally {
      await older.end();
      await storage.close();
    }
  });

  it('makes concurrent appends readable when each returns', async () => {
    const { storage } = await factory.create(new ManualClock());
    try {
      await Promise.all(
        Array.from({ length: 16 }, async (_, caller) => {
          for (let n = 0; n < 10; n++) {
            const { firstPosition } = await storage.events.append(
              `c-${caller}`,
              [{ type: 'A', data: { n } }],
              { expectedVersion: 'any', idempotencyKey: `k-${caller}-${n}` },
            );
            const head = await storage.events.head();
            expect(head! >= firstPosition!).toBe(true);
          }
        }),
      );
      expect(await collect(storage.events.readAll())).toHaveLength(160);
    } finally {
      await storage.close();
    }
  });
});
