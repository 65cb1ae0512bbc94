import request from 'supertest';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';
const DATE = '2026-01-22';

/**
 * Real publishers and operators send `""` for an informational value they do not have: it counts
 * as absent, and never quarantines a message. Required fields stay required.
 */
describe('empty informational strings in batches and prediction completions (real app, real SQLite)', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startTestApp({ LOG_LEVEL: 'error' });
  });
  afterEach(() => test.close());
  const server = () => test.app.getHttpServer();
  const eventsOf = async (type: string) =>
    (await request(server()).get(`/v1/events?type=${type}`).expect(200)).body.events as Array<{
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }>;

  it('creates a batch whose correlation_id is "" with the default correlation id (the batch id)', async () => {
    const created = await request(server())
      .post('/v1/batches')
      .send({
        batch_id: 'batch_blank_corr',
        game_date: DATE,
        expected_count: 2,
        correlation_id: '',
      })
      .expect(201);
    expect(created.body.correlation_id).toBe('batch_blank_corr');
    // An identifier is not informational: an empty batch_id is still refused, naming the field.
    const refused = await request(server())
      .post('/v1/batches')
      .send({ batch_id: '', game_date: DATE, expected_count: 2 })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('batch_id');
  });

  it('records completions and failures whose informational fields are "" as if they were absent (204, not quarantined)', async () => {
    const batchId = 'batch_blank_fields';
    await request(server())
      .post('/v1/batches')
      .send({ batch_id: batchId, game_date: DATE, expected_count: 3, correlation_id: 'corr-b' })
      .expect(201);

    const success = await request(server())
      .post(PUSH)
      .send(
        pushEnvelope(
          {
            player_lookup: 'lebron-james',
            batch_id: batchId,
            predictions_generated: 5,
            game_date: '',
            timestamp: '',
            worker_instance: '',
            correlation_id: '',
          },
          { messageId: 'blank-success' },
        ),
      );
    expect([success.status, success.body]).toEqual([204, {}]);
    const failure = await request(server())
      .post(PUSH)
      .send(
        pushEnvelope(
          {
            player_lookup: 'stephen-curry',
            batch_id: batchId,
            status: 'failed',
            error_message: '',
            correlation_id: '  ',
          },
          { messageId: 'blank-failure' },
        ),
      );
    expect([failure.status, failure.body]).toEqual([204, {}]);

    await eventually(
      async () => (await request(server()).get(`/v1/batches/${batchId}`)).body.failed_count === 1,
      'both outcomes applied',
    );
    expect(await request(server()).get(`/v1/batches/${batchId}`)).toMatchObject({
      body: { completed_count: 1, failed_count: 1, total_predictions: 5 },
    });
    const [completed] = await eventsOf('PredictionCompleted');
    expect(completed!.data).toMatchObject({
      player_lookup: 'lebron-james',
      game_date: null,
      reported_at: null,
      worker_instance: null,
    });
    // No correlation id given: the message id stands in, as for a message without the field.
    expect(completed!.metadata.correlationId).toBe('blank-success');
    const [failed] = await eventsOf('PredictionFailed');
    expect(failed!.data).toMatchObject({ error_message: 'no error message given' });
    expect(failed!.metadata.correlationId).toBe('blank-failure');
    expect((await request(server()).get('/v1/quarantine').expect(200)).body.items).toEqual([]);
  });

  it.each([
    ['player_lookup', { player_lookup: '', batch_id: 'batch_x', predictions_generated: 1 }],
    ['batch_id', { player_lookup: 'lebron-james', batch_id: '', predictions_generated: 1 }],
  ])('still quarantines an empty %s as a schema violation', async (field, data) => {
    const res = await request(server()).post(PUSH).send(pushEnvelope(data)).expect(202);
    expect(res.body).toMatchObject({ status: 'quarantined', reason: 'schema_violation' });
    expect(res.body.detail).toContain(`${field}:`);
  });
});
