import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ManualClock } from '../../src/common/clock/clock.js';
import { TEXT_LIMITS } from '../../src/common/http/text-limits.js';
import { completion, PHASE2_PUSH, REQUIRED_REPORTS } from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import type { TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PREDICTIONS = '/v1/push/prediction-completions';
const DATE = '2026-01-22';
/** What the outside test sent: the longest error_message a 1 MiB push body carries. */
const HUGE = 780_000;

const failure = (batchId: string, player: string, error: string) => ({
  player_lookup: player,
  batch_id: batchId,
  status: 'failed',
  error_message: error,
});
const success = (batchId: string, player: string, extra: Record<string, unknown> = {}) => ({
  player_lookup: player,
  batch_id: batchId,
  game_date: DATE,
  predictions_generated: 3,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-1',
  ...extra,
});

describe.each(TEST_STORES)('bounded input on %s (real app over HTTP)', (store: TestStore) => {
  let test: TestApp;
  let server: App;
  beforeEach(async () => {
    test = await startTestAppOn(
      store,
      { LOG_LEVEL: 'error' },
      { clock: new ManualClock('2026-01-22T15:00:00.000Z') },
    );
    server = test.app.getHttpServer() as App;
  });
  afterEach(() => test.close());

  const createBatch = (body: Record<string, unknown>) =>
    request(server).post('/v1/batches').send(body);
  const push = (path: string, data: unknown) => request(server).post(path).send(pushEnvelope(data));
  const completions = async (batchId: string) =>
    (await request(server).get(`/v1/batches/${batchId}/completions?limit=1000`).expect(200)).body
      .items as Array<Record<string, unknown>>;

  it('stores an error_message of 780,000 characters cut to its limit, with the length it had', async () => {
    await createBatch({ batch_id: 'b-huge', game_date: DATE, expected_players: ['a', 'b'] }).expect(
      201,
    );
    const huge = `${'e'.repeat(HUGE - 2)}😀`;
    await push(PREDICTIONS, failure('b-huge', 'a', huge)).expect(204);
    await push(PREDICTIONS, failure('b-huge', 'b', 'feature store timeout')).expect(204);

    await eventually(async () => (await completions('b-huge')).length === 2, 'both applied');
    const [a, b] = await completions('b-huge');
    expect(a).toMatchObject({
      player_lookup: 'a',
      error_message: 'e'.repeat(TEXT_LIMITS.errorMessage),
      error_message_truncated_from: HUGE,
    });
    expect(b).toMatchObject({ player_lookup: 'b', error_message: 'feature store timeout' });
    expect(b).not.toHaveProperty('error_message_truncated_from');

    const events = (
      await request(server).get('/v1/events?type=PredictionFailed&limit=1000').expect(200)
    ).body.events as Array<{ data: Record<string, unknown> }>;
    expect(events.map((event) => event.data)).toEqual([
      expect.objectContaining({
        player_lookup: 'a',
        error_message: 'e'.repeat(TEXT_LIMITS.errorMessage),
        error_message_truncated_from: HUGE,
      }),
      expect.not.objectContaining({ error_message_truncated_from: expect.anything() }),
    ]);
  });

  it('cuts informational text of a success (worker_instance, timestamp, game_date) and says so', async () => {
    await createBatch({ batch_id: 'b-info', game_date: DATE, expected_count: 1 }).expect(201);
    const long = (length: number) => 'w'.repeat(length);
    await push(
      PREDICTIONS,
      success('b-info', 'a', {
        worker_instance: long(5000),
        timestamp: long(300),
        game_date: long(101),
      }),
    ).expect(204);
    const events = (await request(server).get('/v1/events?type=PredictionCompleted').expect(200))
      .body.events as Array<{ data: Record<string, unknown> }>;
    expect(events[0]!.data).toMatchObject({
      worker_instance: long(TEXT_LIMITS.workerInstance),
      worker_instance_truncated_from: 5000,
      reported_at: long(TEXT_LIMITS.reportedText),
      reported_at_truncated_from: 300,
      game_date: long(TEXT_LIMITS.reportedText),
      game_date_truncated_from: 101,
    });
  });

  it.each([
    ['/v1/outbox?after=5', 'a SQLite position, not a PostgreSQL one'],
    ['/v1/events?after=5', 'a SQLite position, not a PostgreSQL one'],
    [`/v1/outbox?after=${'9'.repeat(41)}`, 'longer than any position'],
    ['/v1/events?after=abc', 'not a position'],
  ])(
    'GET %s (%s) answers 400 naming after where the store cannot read it, never 500',
    async (path) => {
      const answer = await request(server).get(path);
      const readable = store === 'sqlite' && path.endsWith('after=5');
      expect(answer.status).toBe(readable ? 200 : 400);
      if (!readable) expect(answer.body.message).toContain('after');
    },
  );

  it('never cuts between the halves of a surrogate pair (the store would refuse the half)', async () => {
    await createBatch({ batch_id: 'b-pair', game_date: DATE, expected_players: ['a'] }).expect(201);
    const error = `${'e'.repeat(TEXT_LIMITS.errorMessage - 1)}😀 and more`;
    await push(PREDICTIONS, failure('b-pair', 'a', error)).expect(204);
    await eventually(async () => (await completions('b-pair')).length === 1, 'applied');
    expect((await completions('b-pair'))[0]).toMatchObject({
      error_message: 'e'.repeat(TEXT_LIMITS.errorMessage - 1),
      error_message_truncated_from: error.length,
    });
  });
});

describe('bounded input: identifying text past its limit is refused (real app over HTTP)', () => {
  let test: TestApp;
  let server: App;
  beforeAll(async () => {
    test = await startTestAppOn(
      'sqlite',
      { LOG_LEVEL: 'error' },
      { clock: new ManualClock('2026-01-22T15:00:00.000Z') },
    );
    server = test.app.getHttpServer() as App;
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: 'b1', game_date: DATE, expected_count: 5 })
      .expect(201);
  });
  afterAll(() => test.close());

  const quarantined = async (path: string, data: unknown, field: string, max: number) => {
    const answer = await request(server).post(path).send(pushEnvelope(data)).expect(202);
    expect(answer.body).toMatchObject({ status: 'quarantined', reason: 'schema_violation' });
    expect(answer.body.detail).toContain(`${field}: at most ${max} characters`);
  };

  it.each([
    ['player_lookup', { player_lookup: 'p'.repeat(201) }, TEXT_LIMITS.playerLookup],
    ['batch_id', { batch_id: 'b'.repeat(201) }, TEXT_LIMITS.batchId],
    ['correlation_id', { correlation_id: 'c'.repeat(257) }, TEXT_LIMITS.correlationId],
  ])(
    'a prediction message with a %s too long is quarantined naming it and the limit',
    async (field, extra, max) => {
      await quarantined(PREDICTIONS, success('b1', 'a', extra), field, max);
    },
  );

  it.each([
    ['processor_name', 501, TEXT_LIMITS.processorName],
    ['execution_id', 501, TEXT_LIMITS.executionId],
    ['correlation_id', 257, TEXT_LIMITS.correlationId],
    ['timestamp', 101, TEXT_LIMITS.reportedText],
    ['output_table', 1025, TEXT_LIMITS.bigQueryName],
  ])(
    'a phase-2 message with a %s too long is quarantined naming it and the limit',
    async (field, length, max) => {
      await quarantined(
        PHASE2_PUSH,
        completion(DATE, REQUIRED_REPORTS[0]!, { [field]: 'x'.repeat(length) }),
        field,
        max,
      );
    },
  );

  it('a prediction reporting more predictions than any player can have is quarantined', async () => {
    const answer = await request(server)
      .post(PREDICTIONS)
      .send(pushEnvelope(success('b1', 'a', { predictions_generated: 1e15 })))
      .expect(202);
    expect(answer.body.detail).toContain('predictions_generated');
  });

  const refused = async (pending: request.Test, field: string, max: number) => {
    const answer = await pending.expect(400);
    expect(answer.body.message).toContain(`${field}: at most ${max} characters`);
  };

  it('admin bodies and names past their limit answer 400 naming the field and the limit', async () => {
    await refused(
      request(server)
        .post('/v1/batches')
        .send({ game_date: '2026-01-23', expected_count: 1, correlation_id: 'c'.repeat(257) }),
      'correlation_id',
      TEXT_LIMITS.correlationId,
    );
    await refused(
      request(server)
        .post('/v1/batches')
        .send({ batch_id: 'b'.repeat(201), game_date: '2026-01-23', expected_count: 1 }),
      'batch_id',
      TEXT_LIMITS.batchId,
    );
    await refused(
      request(server)
        .post(`/v1/phases/${DATE}/trigger`)
        .send({ reason: 'r'.repeat(501) }),
      'reason',
      TEXT_LIMITS.manualReason,
    );
    await refused(
      request(server)
        .post(`/v1/phases/${DATE}/trigger`)
        .set('x-correlation-id', 'c'.repeat(257))
        .send({ reason: 'by hand' }),
      'x-correlation-id',
      TEXT_LIMITS.correlationId,
    );
    await refused(
      request(server).post(`/v1/workflows/${'w'.repeat(201)}/execute`),
      'name',
      TEXT_LIMITS.configName,
    );
    await refused(
      request(server).get(`/v1/events?type=${'t'.repeat(1001)}`),
      'type',
      TEXT_LIMITS.queryText,
    );
  });
});
