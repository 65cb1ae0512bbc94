import request from 'supertest';
import { completion as phase2Completion, PHASE2_PUSH } from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import type { TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';
const DATE = '2026-01-22';
const BATCH = 'batch_2026-01-22_text';
const NUL = '\u0000';
const LONE = '\ud800';

type Server = Parameters<typeof request>[0];

const completion = (player: string, extra: Record<string, unknown> = {}) => ({
  player_lookup: player,
  batch_id: BATCH,
  game_date: DATE,
  predictions_generated: 5,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-00042-xyz',
  ...extra,
});

/** The read models a stored NUL broke on PostgreSQL: each answers, counts right, nothing failed. */
async function expectReadModelsWork(server: Server, completed: number, processors: string[]) {
  await eventually(
    async () =>
      (await request(server).get(`/v1/batches/${BATCH}`)).body.completed_count === completed,
    `batch progress counting ${completed} completions`,
  );
  const batch = await request(server).get(`/v1/batches/${BATCH}`).expect(200);
  expect(batch.body).toMatchObject({ batch_id: BATCH, completed_count: completed });
  if (processors.length > 0) {
    await eventually(
      async () =>
        (await request(server).get(`/v1/phases/${DATE}`)).body.completed_processors?.length ===
        processors.length,
      `phase status showing ${processors.join(', ')}`,
    );
    const phase = await request(server).get(`/v1/phases/${DATE}`).expect(200);
    expect(phase.body).toMatchObject({
      completed_processors: processors,
      unexpected_processors: [],
    });
  }
  await eventually(async () => {
    const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
      projections: Array<{ name: string; lag: number }>;
    };
    return projections.every((projection) => projection.lag === 0);
  }, 'every projection caught up');
  const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
    projections: Array<{ name: string; state: string; last_error: string | null }>;
  };
  expect(projections.filter((p) => p.state === 'failed' || p.last_error !== null)).toEqual([]);
  await request(server).get('/health/ready').expect(200);
}

/** How many events the log holds (an envelope refused with 400 must add none). */
async function eventCount(server: Server): Promise<number> {
  const { events } = (await request(server).get('/v1/events?limit=1000').expect(200)).body as {
    events: unknown[];
  };
  return events.length;
}

describe.each(TEST_STORES)('push text no store can hold, on %s (real app over HTTP)', (store) => {
  let test: TestApp;
  let server: Server;
  beforeEach(async () => {
    test = await startTestAppOn(store as TestStore, { LOG_LEVEL: 'error' });
    server = test.app.getHttpServer();
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: BATCH, game_date: DATE, expected_count: 50 })
      .expect(201);
  });
  afterEach(() => test.close());

  it('quarantines message data holding NUL or a lone surrogate, keeps the raw body, and keeps every read model working', async () => {
    const cases: Array<[push: string, data: unknown, path: string]> = [
      [PUSH, completion(`lebron${NUL}james`), 'data.player_lookup'],
      [
        PHASE2_PUSH,
        phase2Completion(DATE, { processor_name: `BdlPlayerBoxscores${NUL}Processor` }),
        'data.processor_name',
      ],
      [
        PUSH,
        completion('anthony-davis', { worker_instance: `worker-${LONE}` }),
        'data.worker_instance',
      ],
      [PUSH, completion('austin-reaves', { extra: { [`k${LONE}`]: 1 } }), 'data.extra (a key)'],
    ];
    let completed = 0;
    for (const [push, data, path] of cases) {
      const envelope = pushEnvelope(data);
      const answer = await request(server).post(push).send(envelope).expect(202);
      expect(answer.body).toMatchObject({ status: 'quarantined', reason: 'unsupported_character' });
      expect(answer.body.detail).toContain(`${path} holds U+0000 or an unpaired UTF-16 surrogate`);

      const shown = await request(server)
        .get(`/v1/quarantine/${answer.body.quarantine_id}`)
        .expect(200);
      expect(shown.body).toMatchObject({
        reason: 'unsupported_character',
        endpoint: push.split('/').pop(),
      });
      expect(Buffer.from(shown.body.body_base64 as string, 'base64').toString()).toBe(
        JSON.stringify(envelope),
      );
      // A redelivery gets the same entry back.
      const again = await request(server).post(push).send(envelope).expect(202);
      expect(again.body.quarantine_id).toBe(answer.body.quarantine_id);

      completed += 1;
      await request(server)
        .post(PUSH)
        .send(pushEnvelope(completion(`valid-${completed}`)))
        .expect(204);
      await expectReadModelsWork(server, completed, []);
    }

    await request(server)
      .post(PHASE2_PUSH)
      .send(
        pushEnvelope(
          phase2Completion(DATE, {
            processor_name: 'BdlPlayerBoxscoresProcessor',
            output_table: 'nba_raw.bdl_player_boxscores',
          }),
        ),
      )
      .expect(204);
    await expectReadModelsWork(server, completed, ['p2_bdl_box_scores']);
    await eventually(
      async () =>
        (await request(server).get('/v1/quarantine?reason=unsupported_character')).body.items
          ?.length === cases.length,
      'every entry listed',
    );
  });

  it("quarantines data that is not JSON as invalid_json although the parser's complaint quotes a NUL", async () => {
    const rawData = Buffer.from(`${NUL}{"player_lookup": "x"}`).toString('base64');
    const envelope = pushEnvelope(null, { rawData });
    const answer = await request(server).post(PUSH).send(envelope).expect(202);
    expect(answer.body).toMatchObject({ status: 'quarantined', reason: 'invalid_json' });
    expect(answer.body.detail).toContain('message data is not JSON');
    expect(answer.body.detail).toContain('\ufffd');
    expect(answer.body.detail).not.toContain(NUL);
    const again = await request(server).post(PUSH).send(envelope).expect(202);
    expect(again.body.quarantine_id).toBe(answer.body.quarantine_id);

    await request(server)
      .post(PUSH)
      .send(pushEnvelope(completion('valid-1')))
      .expect(204);
    await expectReadModelsWork(server, 1, []);
  });

  it('answers 400 naming the envelope field that holds such text or is too long, and stores nothing', async () => {
    const valid = () => pushEnvelope(completion('stephen-curry'));
    const withMessage = (fields: Record<string, unknown>) => {
      const envelope = valid();
      return { ...envelope, message: { ...envelope.message, ...fields } };
    };
    const cases: Array<[what: string, body: unknown, field: string, problem: string]> = [
      [
        'NUL in messageId',
        withMessage({ messageId: `m${NUL}1`, message_id: `m${NUL}1` }),
        'message.messageId',
        'holds U+0000',
      ],
      [
        'NUL in message_id alone',
        (() => {
          const { messageId: _dropped, ...message } = withMessage({
            message_id: `m${NUL}2`,
          }).message;
          return { ...valid(), message };
        })(),
        'message.message_id',
        'holds U+0000',
      ],
      [
        'NUL in subscription',
        { ...valid(), subscription: `projects/p/subscriptions/s${NUL}` },
        'subscription',
        'holds U+0000',
      ],
      [
        'a lone surrogate in subscription',
        { ...valid(), subscription: `s${LONE}` },
        'subscription',
        'unpaired UTF-16 surrogate',
      ],
      [
        'NUL in an attribute value',
        withMessage({ attributes: { source: `w${NUL}` } }),
        'message.attributes["source"]',
        'holds U+0000',
      ],
      [
        'NUL in an attribute key',
        withMessage({ attributes: { [`k${NUL}`]: 'v' } }),
        'message.attributes (a key)',
        'holds U+0000',
      ],
      [
        'a lone surrogate in orderingKey',
        withMessage({ orderingKey: `o${LONE}` }),
        'message.orderingKey',
        'unpaired UTF-16 surrogate',
      ],
      [
        'NUL in publishTime',
        withMessage({ publishTime: `2026${NUL}` }),
        'message.publishTime',
        'holds U+0000',
      ],
      [
        'a 257-byte messageId',
        withMessage({ messageId: 'm'.repeat(257) }),
        'message.messageId',
        'more than the 256 accepted',
      ],
      [
        'a 513-byte subscription',
        { ...valid(), subscription: 's'.repeat(513) },
        'subscription',
        'more than the 512 accepted',
      ],
      [
        'a 257-byte attribute key',
        withMessage({ attributes: { ['k'.repeat(257)]: 'v' } }),
        'message.attributes (a key)',
        'more than the 256 accepted',
      ],
      [
        'a 1025-byte attribute value',
        withMessage({ attributes: { a: 'é'.repeat(513) } }),
        'message.attributes["a"]',
        '1026 bytes long, more than the 1024 accepted',
      ],
      [
        '101 attributes',
        withMessage({
          attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, 'v'])),
        }),
        'message.attributes',
        'more than the 100 Pub/Sub allows',
      ],
    ];
    const before = await eventCount(server);
    for (const [what, body, field, problem] of cases) {
      const answer = await request(server)
        .post(PUSH)
        .send(body as object);
      expect({ what, status: answer.status }).toEqual({ what, status: 400 });
      expect(answer.body.message).toContain('not an acceptable Pub/Sub push envelope');
      expect(answer.body.message).toContain(field);
      expect(answer.body.message).toContain(problem);
      expect(answer.body.issues).toEqual([{ field, problem: answer.body.message }]);
    }
    expect(await eventCount(server)).toBe(before);

    await request(server).post(PUSH).send(valid()).expect(204);
    await expectReadModelsWork(server, 1, []);
  });
});
