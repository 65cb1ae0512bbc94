import request from 'supertest';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';
const completion = (player: string, batchId: string) => ({
  player_lookup: player,
  game_date: '2026-01-22',
  predictions_generated: 5,
  batch_id: batchId,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-00042-xyz',
});

describe('push ingestion over HTTP (real app)', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startTestApp({ BODY_LIMIT_BYTES: '4096' });
  });
  afterEach(() => test.close());

  it('quarantines a poison message, lists it by reason, shows its raw body, and refuses a hopeless replay', async () => {
    const server = test.app.getHttpServer();
    const envelope = pushEnvelope(null, { rawData: '%%%' });
    const res = await request(server).post(PUSH).send(envelope).expect(202);
    expect(res.body).toMatchObject({ status: 'quarantined', reason: 'bad_base64' });
    const id = res.body.quarantine_id as string;

    await eventually(
      async () =>
        (await request(server).get('/v1/quarantine?reason=bad_base64')).body.items?.length === 1,
      'listed',
    );
    const listed = await request(server).get('/v1/quarantine?reason=bad_base64').expect(200);
    expect(listed.body.items[0]).toMatchObject({
      quarantine_id: id,
      reason: 'bad_base64',
      endpoint: 'prediction-completions',
    });
    expect(
      (await request(server).get('/v1/quarantine?reason=schema_violation').expect(200)).body.items,
    ).toEqual([]);

    const shown = await request(server).get(`/v1/quarantine/${id}`).expect(200);
    expect(JSON.parse(shown.body.body)).toEqual(envelope);

    const replay = await request(server).post(`/v1/quarantine/${id}/replay`).expect(200);
    expect(replay.body).toMatchObject({ quarantine_id: id, outcome: 'still_failing' });
    await request(server).get('/v1/quarantine/q-none').expect(404);
  });

  it('parks a completion for a batch that does not exist yet and replays it when the batch is created', async () => {
    const server = test.app.getHttpServer();
    const batchId = 'batch_2026-01-22_park';
    const parked = await request(server)
      .post(PUSH)
      .send(pushEnvelope(completion('lebron-james', batchId)))
      .expect(202);
    expect(parked.body.reason).toBe('unknown_batch');

    await request(server)
      .post('/v1/batches')
      .send({ batch_id: batchId, game_date: '2026-01-22', expected_count: 2 })
      .expect(201);
    await eventually(
      async () => (await request(server).get(`/v1/batches/${batchId}`)).body.completed_count === 1,
      'parked completion replayed',
    );
    await eventually(
      async () =>
        (await request(server).get(`/v1/quarantine/${parked.body.quarantine_id}`)).body.status ===
        'replayed',
      'quarantine entry marked replayed',
    );
  });

  it('answers 400 for a body that is not an envelope and 413 for one over BODY_LIMIT_BYTES', async () => {
    const server = test.app.getHttpServer();
    const notEnvelope = await request(server).post(PUSH).send({ hello: 'world' }).expect(400);
    expect(notEnvelope.body.message).toContain('no "message" object');
    await request(server)
      .post(PUSH)
      .set('content-type', 'application/json')
      .send(JSON.stringify(pushEnvelope({ padding: 'x'.repeat(8000) })))
      .expect(413);
  });

  describe('a wrapped envelope without messageId/message_id (a hand-replayed message)', () => {
    const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/shotclock-sub';
    /** As an operator posts it by hand: no messageId, no message_id, maybe attributes. */
    const handReplayed = (data: unknown, attributes: Record<string, string> = {}) => ({
      message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), attributes },
      subscription: SUBSCRIPTION,
    });
    const completionsOf = async (batchId: string) =>
      (
        await request(test.app.getHttpServer())
          .get('/v1/events?type=PredictionCompleted')
          .expect(200)
      ).body.events.filter(
        (e: { data: { batch_id: string } }) => e.data.batch_id === batchId,
      ) as Array<{
        data: { player_lookup: string; message_id: string };
        metadata: { messageId: string };
      }>;
    const createBatch = (batchId: string) =>
      request(test.app.getHttpServer())
        .post('/v1/batches')
        .send({ batch_id: batchId, game_date: '2026-01-22', expected_count: 5 })
        .expect(201);

    it('is processed once, keyed by its fingerprint; the redelivery answers Idempotent-Replayed', async () => {
      const server = test.app.getHttpServer();
      const batchId = 'batch_fp_once';
      await createBatch(batchId);
      const envelope = handReplayed(completion('lebron-james', batchId));

      const first = await request(server).post(PUSH).send(envelope).expect(204);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await request(server).post(PUSH).send(envelope).expect(204);
      expect(second.headers['idempotent-replayed']).toBe('true');

      await eventually(async () => (await completionsOf(batchId)).length === 1, 'recorded');
      const [event] = await completionsOf(batchId);
      expect(event!.metadata.messageId).toMatch(/^fp:[0-9a-f]{64}$/);
      expect(event!.data.message_id).toBe(event!.metadata.messageId);
      // A third delivery, after the effect is visible, is still the same message.
      const third = await request(server).post(PUSH).send(envelope).expect(204);
      expect(third.headers['idempotent-replayed']).toBe('true');
      expect(await completionsOf(batchId)).toHaveLength(1);
    });

    it('tells two different hand-replayed messages apart: other data or other attributes', async () => {
      const server = test.app.getHttpServer();
      const batchId = 'batch_fp_two';
      await createBatch(batchId);
      await request(server)
        .post(PUSH)
        .send(handReplayed(completion('lebron-james', batchId)))
        .expect(204);
      await request(server)
        .post(PUSH)
        .send(handReplayed(completion('stephen-curry', batchId)))
        .expect(204);
      // Same data, other attributes: another message (its own effect; the player still counts once).
      const retagged = await request(server)
        .post(PUSH)
        .send(handReplayed(completion('stephen-curry', batchId), { replayed_by: 'ops' }))
        .expect(204);
      expect(retagged.headers['idempotent-replayed']).toBeUndefined();

      await eventually(async () => (await completionsOf(batchId)).length === 3, 'three effects');
      const events = await completionsOf(batchId);
      expect(events.map((e) => e.data.player_lookup)).toEqual([
        'lebron-james',
        'stephen-curry',
        'stephen-curry',
      ]);
      expect(new Set(events.map((e) => e.metadata.messageId)).size).toBe(3);
      await eventually(
        async () =>
          (await request(server).get(`/v1/batches/${batchId}`)).body.completed_count === 2,
        'two players counted',
      );
    });

    it('is quarantined like any message, once however often it is redelivered', async () => {
      const server = test.app.getHttpServer();
      const poison = { message: { data: '%%%' }, subscription: SUBSCRIPTION };
      const first = await request(server).post(PUSH).send(poison).expect(202);
      expect(first.body).toMatchObject({ status: 'quarantined', reason: 'bad_base64' });
      const again = await request(server).post(PUSH).send(poison).expect(202);
      expect(again.body.quarantine_id).toBe(first.body.quarantine_id);
      const entry = await request(server)
        .get(`/v1/quarantine/${first.body.quarantine_id}`)
        .expect(200);
      expect(entry.body.message_id).toMatch(/^fp:[0-9a-f]{64}$/);
    });

    it('refuses a message id that is not a string, or that takes the form of a fingerprint id', async () => {
      const server = test.app.getHttpServer();
      const data = Buffer.from('{}').toString('base64');
      const numeric = await request(server)
        .post(PUSH)
        .send({ message: { data, messageId: 12345 }, subscription: SUBSCRIPTION })
        .expect(400);
      expect(numeric.body.message).toContain('message.messageId must be a string');
      const reserved = await request(server)
        .post(PUSH)
        .send({ message: { data, message_id: `fp:${'0'.repeat(64)}` }, subscription: SUBSCRIPTION })
        .expect(400);
      expect(reserved.body.issues).toEqual([
        {
          field: 'message.message_id',
          problem: expect.stringContaining('may not start with "fp:"'),
        },
      ]);
    });

    it('still reads a body without the x-goog-pubsub-message-id header as a wrapped envelope', async () => {
      // Unwrapped delivery is recognised by that header only: raw data without it is refused.
      const res = await request(test.app.getHttpServer())
        .post(PUSH)
        .send(completion('lebron-james', 'batch_unwrapped'))
        .expect(400);
      expect(res.body.message).toContain('no "message" object');
      expect(res.body.message).toContain('x-goog-pubsub-message-id');
    });
  });

  it('needs no admin token on the push route, but does on the quarantine API', async () => {
    const secured = await startTestApp({ ADMIN_TOKEN: 'tok' });
    try {
      const server = secured.app.getHttpServer();
      await request(server)
        .post(PUSH)
        .send(pushEnvelope(null, { rawData: '!' }))
        .expect(202);
      await request(server).get('/v1/quarantine').expect(401);
      await request(server).get('/v1/quarantine').set('Authorization', 'Bearer tok').expect(200);
    } finally {
      await secured.close();
    }
  });
});
