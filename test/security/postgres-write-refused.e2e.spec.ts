import pg from 'pg';
import request from 'supertest';
import { pushEnvelope } from '../support/push-envelope.js';
import {
  createScratchDatabase,
  type ScratchDatabase,
} from '../support/postgres-long-transaction.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

/**
 * A PostgreSQL server that refuses writes (here: the database turned read-only, as a replica is
 * after a failover; a full disk answers the same way with 53100) answers 503 with Retry-After on
 * every route, readiness says why, and both recover on their own once writes are taken again.
 */
describe('PostgreSQL refusing writes', () => {
  let scratch: ScratchDatabase;
  let test: TestApp;
  const name = () => new URL(scratch.url).pathname.slice(1);

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    test = await startTestApp({
      EVENT_STORE: 'postgres',
      DATABASE_URL: scratch.url,
      DATABASE_SCHEMA: 'shotclock',
    });
  });
  afterAll(async () => {
    await test.close();
    await scratch.drop();
  });

  /** Sets the database read-only (or back) and ends its sessions so new ones take the setting. */
  async function readOnly(on: boolean): Promise<void> {
    const admin = new pg.Client({ connectionString: scratch.url.replace(/\/[^/]+$/, '/test') });
    await admin.connect();
    try {
      await admin.query(
        `ALTER DATABASE ${name()} SET default_transaction_read_only = ${on ? 'on' : 'off'}`,
      );
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name()],
      );
    } finally {
      await admin.end();
    }
  }

  const completion = (player: string) =>
    pushEnvelope({ player_lookup: player, batch_id: 'b-none', predictions_generated: 1 });

  it('answers 503 with Retry-After and fails readiness, then recovers without traffic', async () => {
    const server = test.app.getHttpServer();
    await request(server).get('/health/ready').expect(200);
    await readOnly(true);
    try {
      const push = await request(server)
        .post('/v1/push/prediction-completions')
        .send(completion('p-1'));
      expect(push.status).toBe(503);
      expect(push.headers['retry-after']).toMatch(/^\d+$/);
      const admin = await request(server)
        .post('/v1/phases/2026-01-22/trigger')
        .send({ reason: 'operator test' });
      expect(admin.status).toBe(503);
      expect(admin.headers['retry-after']).toMatch(/^\d+$/);
      const ready = await request(server).get('/health/ready').expect(503);
      expect(JSON.stringify(ready.body)).toMatch(/refused a write.*read-only/);
      await request(server).get('/health/live').expect(200);
      const metrics = await request(server).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^shotclock_store_write_failing 1$/m);
    } finally {
      await readOnly(false);
    }
    await eventually(
      async () => (await request(server).get('/health/ready')).status === 200,
      'readiness back once the server takes writes',
      10_000,
    );
    await request(server)
      .post('/v1/push/prediction-completions')
      .send(completion('p-1'))
      .expect(202);
  }, 60_000);
});
