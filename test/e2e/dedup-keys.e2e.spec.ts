import { createHash } from 'node:crypto';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import type { TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const BATCH = 'batch_2026-01-22_dedup';
const PUSH = '/v1/push/prediction-completions';
const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/shotclock-sub';
const DAY_MS = 86_400_000;

const keyPath = (key: string) => `/v1/dedup/keys/${encodeURIComponent(key)}`;
const completion = (player: string, predictions = 5) => ({
  player_lookup: player,
  batch_id: BATCH,
  predictions_generated: predictions,
});
const sha256 = (data: unknown) =>
  createHash('sha256')
    .update(Buffer.from(JSON.stringify(data)))
    .digest('hex');

describe.each(TEST_STORES)(
  'GET /v1/dedup/keys/:key and /v1/dedup/stats on %s (real app)',
  (store: TestStore) => {
    let test: TestApp;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock('2026-01-22T15:00:00.000Z');
      test = await startTestAppOn(store, { LOG_LEVEL: 'error' }, { clock });
      await request(test.app.getHttpServer())
        .post('/v1/batches')
        .send({ batch_id: BATCH, game_date: '2026-01-22', expected_count: 50 })
        .expect(201);
    });
    afterEach(() => test.close());

    it('shows who wrote a push key, when, its fingerprint, expiry and stored result; 404 once expired', async () => {
      const server = test.app.getHttpServer();
      const data = completion('lebron-james');
      await request(server)
        .post(PUSH)
        .send(pushEnvelope(data, { messageId: '2070443601311540' }))
        .expect(204);
      const key = `push:prediction-completions:${SUBSCRIPTION}/2070443601311540`;

      const res = await request(server).get(keyPath(key)).expect(200);
      expect(res.body).toMatchObject({
        key,
        written_at: '2026-01-22T15:00:00.000Z',
        expires_at: '2026-01-29T15:00:00.000Z',
        fingerprint: sha256(data),
        writer: {
          kind: 'push',
          endpoint: 'prediction-completions',
          subscription: SUBSCRIPTION,
          message_id: '2070443601311540',
        },
        first_event: {
          type: 'PredictionCompleted',
          metadata: { messageId: '2070443601311540', subscription: SUBSCRIPTION },
        },
      });
      const written = res.body.result.streams as Array<{ stream_id: string; event_ids: string[] }>;
      expect(written.map((stream) => stream.stream_id)).toContain(
        `batch-${BATCH}-player-lebron-james`,
      );
      expect(res.body.first_event.event_id).toBe(
        written.find((stream) => stream.event_ids.length > 0)!.event_ids[0],
      );
      expect(res.body.result.first_position).toEqual(expect.any(String));

      const unknown = await request(server).get(keyPath('push:nowhere:sub/1')).expect(404);
      expect(unknown.body.message).toContain('"push:nowhere:sub/1"');

      clock.advanceMs(7 * DAY_MS);
      const expired = await request(server).get(keyPath(key)).expect(404);
      expect(expired.body.message).toContain(JSON.stringify(key));
      expect(expired.body.message).toContain('DEDUP_TTL_DAYS');
    });

    it('counts live keys, duplicates and conflicts answered, conflicts recorded and quarantine by reason', async () => {
      const server = test.app.getHttpServer();
      const stats = async () => (await request(server).get('/v1/dedup/stats').expect(200)).body;
      const before = await stats();
      expect(before.this_instance.duplicates_answered).toEqual({ total: 0, by_endpoint: {} });
      expect(before.conflicts_recorded).toBe(0);
      expect(before.key_ttl_days).toBe(7);

      const first = pushEnvelope(completion('anthony-davis'), { messageId: 'm-dup' });
      await request(server).post(PUSH).send(first).expect(204);
      await request(server).post(PUSH).send(first).expect(204);
      await request(server).post(PUSH).send(first).expect(204);
      // Same message id, another payload: a conflict, recorded once.
      const changed = pushEnvelope(completion('anthony-davis', 9), { messageId: 'm-dup' });
      await request(server).post(PUSH).send(changed).expect(422);
      await request(server).post(PUSH).send(changed).expect(422);
      const broken = pushEnvelope(null, { rawData: Buffer.from('{not json').toString('base64') });
      await request(server).post(PUSH).send(broken).expect(202);
      const invalid = pushEnvelope({ batch_id: BATCH }, {});
      await request(server).post(PUSH).send(invalid).expect(202);
      await request(server)
        .post(PUSH)
        .send(pushEnvelope({ player_lookup: 'x' }, {}))
        .expect(202);

      const quarantined = (body: { quarantine_by_reason: Record<string, number> }) =>
        Object.values(body.quarantine_by_reason).reduce((sum, n) => sum + n, 0);
      await eventually(
        async () => quarantined(await stats()) === 3,
        'the dedup-stats projection counted the three quarantined messages',
      );
      const after = await stats();
      expect(after).toMatchObject({
        // The processed message, its conflict record and the three quarantined messages.
        keys_live: before.keys_live + 5,
        conflicts_recorded: 1,
        quarantine_by_reason: { invalid_json: 1, schema_violation: 2 },
        this_instance: {
          duplicates_answered: { total: 2, by_endpoint: { 'prediction-completions': 2 } },
          conflicts_answered: { total: 2, by_endpoint: { 'prediction-completions': 2 } },
        },
      });
    });
  },
);
