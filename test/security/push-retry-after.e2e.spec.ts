import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import request from 'supertest';
import { TEST_DATABASE_URL } from '../support/postgres-storage.factory.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';
const BATCH = 'batch_2026-01-22_busy';

/**
 * Holds the store's write lock from another connection, as another process would: SQLite's
 * `BEGIN IMMEDIATE` on the same file; on PostgreSQL a lock on the events table that lets reads
 * through and makes every append wait.
 */
async function holdWriteLock(
  store: TestStore,
  where: { sqlitePath: string; schema: string | null },
): Promise<() => Promise<void>> {
  if (store === 'sqlite') {
    const db = new DatabaseSync(where.sqlitePath);
    db.exec('BEGIN IMMEDIATE');
    return async () => {
      db.exec('ROLLBACK');
      db.close();
    };
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${where.schema}.events IN EXCLUSIVE MODE`);
  return async () => {
    await client.query('ROLLBACK');
    await client.end();
  };
}

describe.each(TEST_STORES)('push 503 answers carry Retry-After, on %s', (store) => {
  it('answers a push that meets a busy store 503 with Retry-After, then takes the redelivery once', async () => {
    const test = await startTestAppOn(store as TestStore, {
      LOG_LEVEL: 'error',
      TIMEOUT_STORE_BUSY_MS: '300',
      TIMEOUT_STORE_RETRY_AFTER_MS: '2500',
    });
    try {
      const server = test.app.getHttpServer();
      await request(server)
        .post('/v1/batches')
        .send({ batch_id: BATCH, game_date: '2026-01-22', expected_count: 2 })
        .expect(201);
      const envelope = pushEnvelope({
        player_lookup: 'lebron-james',
        batch_id: BATCH,
        predictions_generated: 5,
      });

      const release = await holdWriteLock(store as TestStore, test);
      let busy: request.Response;
      try {
        busy = await request(server).post(PUSH).send(envelope);
      } finally {
        await release();
      }
      expect(busy.status).toBe(503);
      // 2500 ms rounded up to whole seconds, as StoreUnavailableFilter does on every other route.
      expect(busy.headers['retry-after']).toBe('3');
      expect(busy.body).toMatchObject({ status: 'retry' });

      const redelivered = await request(server).post(PUSH).send(envelope).expect(204);
      expect(redelivered.headers['idempotent-replayed']).toBeUndefined();
      await eventually(
        async () => (await request(server).get(`/v1/batches/${BATCH}`)).body.completed_count === 1,
        'the redelivered completion counted once',
      );
    } finally {
      await test.close();
    }
  });

  it('answers a quarantine replay that meets a busy store 503 with Retry-After', async () => {
    const test = await startTestAppOn(store as TestStore, {
      LOG_LEVEL: 'error',
      TIMEOUT_STORE_BUSY_MS: '300',
      TIMEOUT_STORE_RETRY_AFTER_MS: '2500',
    });
    try {
      const server = test.app.getHttpServer();
      // A completion for a batch that does not exist yet is parked in the quarantine.
      const parked = await request(server)
        .post(PUSH)
        .send(
          pushEnvelope({ player_lookup: 'p-1', batch_id: 'batch_none', predictions_generated: 1 }),
        )
        .expect(202);
      const id = parked.body.quarantine_id as string;
      const release = await holdWriteLock(store as TestStore, test);
      let busy: request.Response;
      try {
        busy = await request(server).post(`/v1/quarantine/${id}/replay`);
      } finally {
        await release();
      }
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('3');
    } finally {
      await test.close();
    }
  });
});
