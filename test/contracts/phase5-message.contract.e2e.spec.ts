import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';
const TOPIC = 'nba-phase5-predictions-complete';
const STALL_MS = 600_000;

/**
 * What the phase-6 consumer (phase5_to_phase6) reads from the phase-5 message: these fields, of
 * these types, on every message. It treats a missing `metadata.completion_pct` as 100, which turns
 * its 80% guard off, so every field here must always be present.
 */
const CONSUMER_FIELDS = {
  processor_name: 'string',
  phase: 'string',
  execution_id: 'string',
  correlation_id: 'string',
  game_date: 'string',
  output_table: 'string',
  status: 'string',
  record_count: 'number',
  metadata: 'object',
} as const;
const CONSUMER_METADATA_FIELDS = {
  batch_id: 'string',
  expected_predictions: 'number',
  completed_predictions: 'number',
  failed_predictions: 'number',
  completion_pct: 'number',
} as const;
/** What the message carried before the consumer's fields were added; kept for its readers. */
const EARLIER_METADATA_FIELDS = {
  expected_players: 'number',
  completed_players: 'number',
  failed_players: 'number',
  total_predictions: 'number',
  completion_percentage: 'number',
  completion_reason: 'string',
} as const;

type Message = { body: Record<string, unknown>; attributes: Record<string, string> };

function expectFields(record: Record<string, unknown>, fields: Record<string, string>, at: string) {
  for (const [field, type] of Object.entries(fields)) {
    expect({ field: `${at}${field}`, type: typeof record[field] }).toEqual({
      field: `${at}${field}`,
      type,
    });
  }
}

/** The contract every phase-5 message keeps, whatever the batch's outcome. */
function expectContract(message: Message) {
  expectFields(message.body, CONSUMER_FIELDS, '');
  const metadata = message.body.metadata as Record<string, unknown>;
  expectFields(metadata, CONSUMER_METADATA_FIELDS, 'metadata.');
  expectFields(metadata, EARLIER_METADATA_FIELDS, 'metadata.');
  expect(message.body).toMatchObject({
    processor_name: 'PredictionCoordinator',
    phase: 'phase_5_predictions',
    output_table: 'player_prop_predictions',
    execution_id: metadata.batch_id,
  });
  expect(['success', 'partial', 'failed']).toContain(message.body.status);
  expect(metadata.completion_pct).toBeGreaterThanOrEqual(0);
  expect(metadata.completion_pct).toBeLessThanOrEqual(100);
  expect(message.attributes).toEqual({
    batch_id: metadata.batch_id,
    game_date: message.body.game_date,
    correlation_id: message.body.correlation_id,
    status: message.body.status,
  });
}

describe('contract: the phase-5 message as the phase-6 consumer reads it (real app, real SQLite)', () => {
  let test: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock('2026-01-22T15:00:00.000Z');
    test = await startTestApp({ LOG_LEVEL: 'error' }, { clock });
  });
  afterEach(() => test.close());
  const server = () => test.app.getHttpServer();

  const createBatch = (batchId: string, gameDate: string, extra: Record<string, unknown>) =>
    request(server())
      .post('/v1/batches')
      .send({ batch_id: batchId, game_date: gameDate, correlation_id: `corr-${batchId}`, ...extra })
      .expect(201);
  const succeed = (batchId: string, player: string, predictions: number) =>
    request(server())
      .post(PUSH)
      .send(
        pushEnvelope({
          player_lookup: player,
          batch_id: batchId,
          predictions_generated: predictions,
        }),
      )
      .expect(204);
  const fail = (batchId: string, player: string) =>
    request(server())
      .post(PUSH)
      .send(
        pushEnvelope({
          player_lookup: player,
          batch_id: batchId,
          status: 'failed',
          error_message: 'model timeout',
        }),
      )
      .expect(204);
  const published = async (): Promise<Message[]> =>
    (await request(server()).get(`/v1/outbox?topic=${TOPIC}`).expect(200)).body.messages;
  const publishedFor = async (batchId: string): Promise<Message> => {
    await eventually(
      async () => (await published()).some((m) => m.body.execution_id === batchId),
      `phase-5 message of ${batchId}`,
    );
    const message = (await published()).find((m) => m.body.execution_id === batchId)!;
    expectContract(message);
    return message;
  };

  it('publishes success, partial and failed completions of every player in the contract', async () => {
    await createBatch('all_ok', '2026-01-20', { expected_players: ['a', 'b', 'c', 'd'] });
    await succeed('all_ok', 'a', 5);
    await succeed('all_ok', 'b', 4);
    await succeed('all_ok', 'c', 6);
    await succeed('all_ok', 'd', 0);
    expect((await publishedFor('all_ok')).body).toMatchObject({
      execution_id: 'all_ok',
      correlation_id: 'corr-all_ok',
      game_date: '2026-01-20',
      status: 'success',
      record_count: 15,
      metadata: {
        batch_id: 'all_ok',
        expected_predictions: 4,
        completed_predictions: 4,
        failed_predictions: 0,
        completion_pct: 100,
      },
    });

    // One player failed: done, but only 3 of 4 succeeded; the consumer's guard sees 75.
    await createBatch('one_failed', '2026-01-21', { expected_count: 4 });
    await succeed('one_failed', 'a', 5);
    await succeed('one_failed', 'b', 5);
    await fail('one_failed', 'c');
    await succeed('one_failed', 'd', 2);
    expect((await publishedFor('one_failed')).body).toMatchObject({
      status: 'partial',
      record_count: 12,
      metadata: {
        expected_predictions: 4,
        completed_predictions: 3,
        failed_predictions: 1,
        completion_pct: 75,
        completion_percentage: 100,
        completion_reason: 'all_players',
      },
    });

    // Every player failed: nothing for phase 6 to publish.
    await createBatch('all_failed', '2026-01-22', { expected_players: ['a', 'b'] });
    await fail('all_failed', 'a');
    await fail('all_failed', 'b');
    expect((await publishedFor('all_failed')).body).toMatchObject({
      status: 'failed',
      record_count: 0,
      metadata: { completed_predictions: 0, failed_predictions: 2, completion_pct: 0 },
    });
  });

  it('publishes a stall completion as partial, with completion_pct of the players that succeeded', async () => {
    const players = ['p1', 'p2', 'p3', 'p4', 'p5'];
    await createBatch('stalled', '2026-01-22', {
      expected_players: players,
      min_completion_pct: 60,
    });
    await succeed('stalled', 'p1', 5);
    await succeed('stalled', 'p2', 3);
    await fail('stalled', 'p3');
    await eventually(
      async () =>
        (await request(server()).get('/v1/batches/stalled').expect(200)).body.failed_count === 1,
      'three outcomes applied',
    );

    // Nobody reports for the stall timeout: the durable timer completes the batch (60% done).
    clock.advanceMs(STALL_MS);
    const message = await publishedFor('stalled');
    expect(message.body).toMatchObject({
      execution_id: 'stalled',
      correlation_id: 'corr-stalled',
      status: 'partial',
      record_count: 8,
      metadata: {
        batch_id: 'stalled',
        expected_predictions: 5,
        completed_predictions: 2,
        failed_predictions: 1,
        completion_pct: 40,
        completion_percentage: 60,
        completion_reason: 'stalled',
      },
    });
  });
});
