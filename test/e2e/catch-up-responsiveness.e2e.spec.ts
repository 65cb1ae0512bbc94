import { join } from 'node:path';
import request from 'supertest';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const SEEDED_EVENTS = 200_000;
const EVENTS_PER_APPEND = 2_000;

/** A log long enough that catching up on it takes a while on any machine. */
async function seedLog(path: string): Promise<void> {
  const storage = new SqliteStorage(
    { path, synchronous: 'NORMAL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
    new SystemClock(),
  );
  for (let start = 0; start < SEEDED_EVENTS; start += EVENTS_PER_APPEND) {
    const events = Array.from({ length: EVENTS_PER_APPEND }, (_, i) => ({
      type: 'Seeded',
      data: { n: start + i },
    }));
    await storage.events.append(`seed-${start}`, events, { expectedVersion: 'no-stream' });
  }
  await storage.close();
}

describe('HTTP stays responsive while projections catch up on a long log', () => {
  const dir = makeTempDir('shotclock-catch-up-');
  const sqlitePath = join(dir.path, 'shotclock.sqlite');
  let test: TestApp;
  beforeAll(() => seedLog(sqlitePath));
  afterAll(async () => {
    await test.close();
    dir.cleanup();
  });

  it('answers liveness and shows the lag shrinking before the catch-up ends', async () => {
    test = await startTestApp({}, { sqlitePath });
    const server = test.app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    const lagOf = async () => {
      const res = await request(server).get('/v1/projections').expect(200);
      const summaries = (res.body.projections as Array<{ name: string; lag: number }>).find(
        (projection) => projection.name === 'stream-summaries',
      );
      return summaries!.lag;
    };
    // Answered mid-way: a catch-up that held the event loop would only answer once lag is 0.
    expect(await lagOf()).toBeGreaterThan(0);
    await eventually(async () => (await lagOf()) === 0, 'stream-summaries to catch up', 60_000);
  }, 90_000);
});
