import request from 'supertest';
import { completion as phase2Completion, PHASE2_PUSH } from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const DATE = '2026-01-22';
const BATCH = 'batch_2026-01-22_scope';

/**
 * Idempotency keys were `push:<subscription>/<messageId>`: a message id that one endpoint had
 * processed made another endpoint's message with the same id (same subscription) a duplicate or a
 * conflict, and its effect was lost.
 */
describe('push idempotency keys are scoped by endpoint (real app over HTTP)', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startTestApp({ LOG_LEVEL: 'error' });
  });
  afterEach(() => test.close());

  it('gives the same subscription and message id an effect on each endpoint, once each', async () => {
    const server = test.app.getHttpServer();
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: BATCH, game_date: DATE, expected_count: 3 })
      .expect(201);
    const same = { messageId: '2070443601311540', subscription: 'projects/p/subscriptions/shared' };
    const prediction = pushEnvelope(
      { player_lookup: 'lebron-james', batch_id: BATCH, predictions_generated: 5 },
      same,
    );
    const phase2 = pushEnvelope(
      phase2Completion(DATE, {
        processor_name: 'BdlPlayerBoxscoresProcessor',
        output_table: 'nba_raw.bdl_player_boxscores',
      }),
      same,
    );

    const first = await request(server).post('/v1/push/prediction-completions').send(prediction);
    const second = await request(server).post(PHASE2_PUSH).send(phase2);
    expect([first.status, first.headers['idempotent-replayed']]).toEqual([204, undefined]);
    expect([second.status, second.headers['idempotent-replayed']]).toEqual([204, undefined]);

    await eventually(
      async () => (await request(server).get(`/v1/batches/${BATCH}`)).body.completed_count === 1,
      'the completion counted',
    );
    await eventually(
      async () =>
        (await request(server).get(`/v1/phases/${DATE}`)).body.completed_processors?.[0] ===
        'p2_bdl_box_scores',
      'the phase-2 completion counted',
    );

    // Each endpoint still recognises its own redelivery.
    for (const [path, envelope] of [
      ['/v1/push/prediction-completions', prediction],
      [PHASE2_PUSH, phase2],
    ] as const) {
      const again = await request(server).post(path).send(envelope).expect(204);
      expect(again.headers['idempotent-replayed']).toBe('true');
    }
    const { events } = (
      await request(server).get('/v1/events?type=Phase2ProcessorReported&limit=10').expect(200)
    ).body as { events: unknown[] };
    expect(events).toHaveLength(1);
  });
});
