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
