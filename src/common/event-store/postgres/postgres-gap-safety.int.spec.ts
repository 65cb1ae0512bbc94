import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  postgresStorageFactory,
  schemaOf,
  TEST_DATABASE_URL,
} from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import type { Storage } from '../event-store.port.js';

const WRITERS = 8;
const EVENTS_PER_WRITER = 625; // 5,000 in all
const MAX_EVENTS_PER_TRANSACTION = 3;
const MAX_HOLD_MS = 4;
const IDLE_LIMIT_MS = 2000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One writer on its own connection. Odd writers hold their transaction open for a random while
 * after the insert took its sequence values, so later transactions commit higher positions first:
 * the gap a reader must not skip.
 */
async function write(schema: string, writer: number): Promise<string[]> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${schema}`,
  });
  await client.connect();
  const written: string[] = [];
  try {
    let version = 0;
    while (written.length < EVENTS_PER_WRITER) {
      const count = Math.min(
        1 + Math.floor(Math.random() * MAX_EVENTS_PER_TRANSACTION),
        EVENTS_PER_WRITER - written.length,
      );
      const ids = Array.from({ length: count }, () => randomUUID());
      await client.query('BEGIN');
      for (const id of ids) {
        version += 1;
        await client.query(
          `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
           VALUES ($1, $2, $3, 'Written', '{}', '{}', now())`,
          [id, `writer-${writer}`, version],
        );
      }
      if (writer % 2 === 1) await pause(Math.random() * MAX_HOLD_MS);
      await client.query('COMMIT');
      written.push(...ids);
    }
    return written;
  } finally {
    await client.end();
  }
}

/**
 * Pages through the log, checking order as it goes, until the writers are done and it has seen
 * `total` events, or has seen nothing new for IDLE_LIMIT_MS after they were done.
 */
async function follow(storage: Storage, done: () => boolean, total: number): Promise<string[]> {
  const seen: string[] = [];
  let after: Position | null = null;
  let idleSince = Date.now();
  for (;;) {
    const writersFinished = done();
    let page = 0;
    for await (const event of storage.events.readAll({ after, pageSize: 50, limit: 200 })) {
      if (after !== null && event.position <= after) {
        throw new Error(`position ${event.position} came after ${after}`);
      }
      after = event.position;
      seen.push(event.eventId);
      page += 1;
    }
    if (page > 0 || !writersFinished) idleSince = Date.now();
    if (writersFinished && (seen.length >= total || Date.now() - idleSince > IDLE_LIMIT_MS)) {
      return seen;
    }
    if (page === 0) await pause(1);
  }
}

// PostgreSQL-specific: SQLite has one writer at a time, so its positions commit in order and no
// reader can pass an uncommitted one. Here sequence values are taken before commit (see VISIBLE).
describe('PostgreSQL log reading under concurrent writers (gap safety)', () => {
  const factory = postgresStorageFactory();
  afterAll(() => factory.dispose());

  it('shows a live reader every event exactly once, in position order', async () => {
    const { storage } = await factory.create(new ManualClock());
    try {
      let finished = false;
      const reader = follow(storage, () => finished, WRITERS * EVENTS_PER_WRITER);
      const written = (
        await Promise.all(Array.from({ length: WRITERS }, (_, i) => write(schemaOf(storage), i)))
      ).flat();
      finished = true;
      const seen = await reader;

      expect(written).toHaveLength(WRITERS * EVENTS_PER_WRITER);
      const seenOnce = new Set(seen);
      expect({
        missed: written.filter((id) => !seenOnce.has(id)).length,
        seenTwice: seen.length - seenOnce.size,
        unknown: seen.length - written.length,
      }).toEqual({ missed: 0, seenTwice: 0, unknown: 0 });
      expect(await storage.events.distance(null, await storage.events.head())).toBe(written.length);
    } finally {
      await storage.close();
    }
  });
});
