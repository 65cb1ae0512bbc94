import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';
const DATE = '2026-01-22';
const TOPIC = 'nba-phase5-predictions-complete';

const success = (batchId: string, player: string, predictions = 5) => ({
  player_lookup: player,
  game_date: DATE,
  predictions_generated: predictions,
  batch_id: batchId,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-00042-xyz',
});
const failure = (batchId: string, player: string) => ({
  player_lookup: player,
  batch_id: batchId,
  status: 'failed',
  error_message: 'feature store timeout',
});

describe('prediction completions through the push endpoint (real app, real SQLite)', () => {
  let test: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock('2026-01-22T15:00:00.000Z');
    test = await startTestApp({ LOG_LEVEL: 'error' }, { clock });
  });
  afterEach(() => test.close());
  const server = () => test.app.getHttpServer();
  const push = (data: unknown) => request(server()).post(PUSH).send(pushEnvelope(data));
  const batch = async (id: string) =>
    (await request(server()).get(`/v1/batches/${id}`).expect(200)).body;
  const phase5 = async () =>
    (await request(server()).get(`/v1/outbox?topic=${TOPIC}`).expect(200)).body.messages as Array<{
      body: Record<string, unknown>;
      attributes: Record<string, string>;
    }>;

  it('counts each player once in log order: failure then success, double success, unexpected players', async () => {
    const id = 'batch_rules';
    await request(server())
      .post('/v1/batches')
      .send({
        batch_id: id,
        game_date: DATE,
        expected_players: ['a', 'b', 'c', 'd'],
        correlation_id: 'corr-1',
      })
      .expect(201);

    await push(failure(id, 'a')).expect(204);
    clock.advanceMs(1000);
    await push(success(id, 'a', 4)).expect(204); // a later success replaces the failure
    await push(success(id, 'b', 5)).expect(204);
    clock.advanceMs(1000);
    await push(success(id, 'b', 7)).expect(204); // a re-run: counted once, latest count kept
    await push(failure(id, 'c')).expect(204);
    await push(success(id, 'zz-unknown', 9)).expect(204); // not in the list
    await push(failure(id, 'zz-other')).expect(204);

    await eventually(async () => (await batch(id)).unexpected_count === 2, 'all messages applied');
    expect(await batch(id)).toMatchObject({
      completed_count: 2,
      failed_count: 1,
      unexpected_count: 2,
      missing_count: 1,
      total_predictions: 11,
      completion_percentage: 75,
      is_complete: false,
      last_completion_at: '2026-01-22T15:00:02.000Z',
    });

    const completions = await request(server())
      .get(`/v1/batches/${id}/completions?limit=3`)
      .expect(200);
    expect(completions.body.items).toEqual([
      expect.objectContaining({
        player_lookup: 'a',
        status: 'completed',
        predictions_count: 4,
        expected: true,
        completed_at: '2026-01-22T15:00:01.000Z',
        error_message: 'feature store timeout',
      }),
      expect.objectContaining({
        player_lookup: 'b',
        status: 'completed',
        predictions_count: 7,
        success_messages: 2,
      }),
      expect.objectContaining({ player_lookup: 'c', status: 'failed', predictions_count: null }),
    ]);
    const rest = await request(server())
      .get(`/v1/batches/${id}/completions?cursor=${completions.body.next}`)
      .expect(200);
    expect(rest.body).toEqual({
      items: [
        expect.objectContaining({ player_lookup: 'zz-other', status: 'failed', expected: false }),
        expect.objectContaining({
          player_lookup: 'zz-unknown',
          status: 'completed',
          expected: false,
        }),
      ],
      next: null,
    });
    expect((await request(server()).get(`/v1/batches/${id}/missing`).expect(200)).body).toEqual({
      items: [{ player_lookup: 'd' }],
      next: null,
    });

    // The last expected player completes the batch, once, and phase 5 hears of it.
    await push(success(id, 'd', 3)).expect(204);
    await eventually(async () => (await batch(id)).is_complete, 'batch complete');
    expect(await batch(id)).toMatchObject({
      status: 'complete',
      completion_reason: 'all_players',
      completed_count: 3,
      failed_count: 1,
      completed_at: '2026-01-22T15:00:02.000Z',
    });
    await eventually(async () => (await phase5()).length === 1, 'phase-5 message published');
    const [message] = await phase5();
    expect(message!.body).toEqual({
      processor_name: 'PredictionCoordinator',
      phase: 'phase_5_predictions',
      execution_id: id,
      correlation_id: 'corr-1',
      game_date: DATE,
      output_table: 'player_prop_predictions',
      status: 'partial',
      record_count: 14,
      timestamp: '2026-01-22T15:00:02.000Z',
      metadata: {
        batch_id: id,
        expected_predictions: 4,
        completed_predictions: 3,
        failed_predictions: 1,
        completion_pct: 75,
        expected_players: 4,
        completed_players: 3,
        failed_players: 1,
        total_predictions: 14,
        completion_percentage: 100,
        completion_reason: 'all_players',
      },
    });

    // Late messages are still recorded, but the batch does not complete again, and the date is free.
    await push(success(id, 'c', 2)).expect(204);
    await eventually(async () => (await batch(id)).failed_count === 0, 'late success applied');
    expect(await batch(id)).toMatchObject({ completed_count: 4, completion_reason: 'all_players' });
    expect(await phase5()).toHaveLength(1);
    await request(server())
      .post('/v1/batches')
      .send({ batch_id: 'next', game_date: DATE, expected_count: 1 })
      .expect(201);
    const completedEvents = await request(server())
      .get('/v1/events?type=BatchCompleted')
      .expect(200);
    expect(completedEvents.body.events).toHaveLength(1);
  });

  it('publishes success when every expected player of a count-only batch completed', async () => {
    await request(server())
      .post('/v1/batches')
      .send({ batch_id: 'counted', game_date: DATE, expected_count: 2 })
      .expect(201);
    await push(success('counted', 'x', 2)).expect(204);
    await push(success('counted', 'y', 3)).expect(204);
    await eventually(async () => (await phase5()).length === 1, 'phase-5 message published');
    expect((await phase5())[0]!.body).toMatchObject({
      status: 'success',
      correlation_id: 'counted',
      metadata: {
        completed_players: 2,
        failed_players: 0,
        total_predictions: 5,
        completion_percentage: 100,
      },
    });
    expect((await phase5())[0]!.attributes).toEqual({
      batch_id: 'counted',
      game_date: DATE,
      correlation_id: 'counted',
      status: 'success',
    });
  });

  it('parks completions for an unknown batch and replays them, once, when the batch is created', async () => {
    const id = 'batch_later';
    const parked = await push(success(id, 'a')).expect(202);
    expect(parked.body).toMatchObject({ status: 'quarantined', reason: 'unknown_batch' });
    expect(parked.body.detail).toContain(id);
    await push(failure(id, 'b')).expect(202);

    await request(server())
      .post('/v1/batches')
      .send({ batch_id: id, game_date: DATE, expected_players: ['a', 'b', 'c'] })
      .expect(201);
    await eventually(async () => {
      const view = await batch(id);
      return view.completed_count === 1 && view.failed_count === 1;
    }, 'parked completions replayed');
    const quarantined = await request(server())
      .get('/v1/quarantine?reason=unknown_batch')
      .expect(200);
    expect(quarantined.body.items.map((item: { status: string }) => item.status)).toEqual([
      'replayed',
      'replayed',
    ]);

    // Replaying again by hand has no second effect.
    await request(server()).post(`/v1/quarantine/${parked.body.quarantine_id}/replay`).expect(200);
    expect(await batch(id)).toMatchObject({
      completed_count: 1,
      failed_count: 1,
      total_predictions: 5,
    });
  });

  it('quarantines a completion that breaks the schema, naming the field', async () => {
    const res = await push({ player_lookup: 'a', batch_id: 'b' }).expect(202);
    expect(res.body).toMatchObject({ status: 'quarantined', reason: 'schema_violation' });
    expect(res.body.detail).toContain('predictions_generated');
  });
});
