import { lastValueFrom } from 'rxjs';
import request from 'supertest';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { PubSubClient, PubSubRecord } from '../../src/common/transport/pubsub/pubsub.client.js';
import { BATCH_EVENTS } from '../../src/modules/batches/batch.events.js';
import {
  createTopicWithSubscription,
  modifyAckDeadline,
  pullOnce,
  pullUntil,
  pullAvailableNow,
  startPubSubTarget,
  subscriberClient,
  uniqueName,
  type PubSubTarget,
} from '../support/pubsub/index.js';
import { startPullingApp, type PullingApp } from '../support/pubsub-pull-app.js';
import { holdWriteLock } from '../support/sqlite-write-lock.js';
import { eventually } from '../support/test-timing.js';

const ROUTE = 'prediction-completions';
const GAME_DATE = '2026-01-22';
const player = (n: number) => `player-${String(n).padStart(4, '0')}`;
const completion = (batchId: string, n: number) => ({
  player_lookup: player(n),
  game_date: GAME_DATE,
  predictions_generated: 5,
  batch_id: batchId,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-pull',
});

/** How many events of `type` carry each message id (metadata.messageId). */
async function effectsByMessage(storage: Storage, type: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const event of storage.events.readAll({ types: [type] })) {
    const id = String(event.metadata.messageId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('Pub/Sub pull transport in the real app', () => {
  let target: PubSubTarget;
  let running: PullingApp | undefined;
  beforeAll(async () => {
    target = await startPubSubTarget();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  afterAll(() => target.stop());

  const pull = async (subscription: string, env: Record<string, string> = {}) => {
    running = await startPullingApp(target, {
      PUBSUB_SUBSCRIPTIONS: `${ROUTE}=${subscription}`,
      ...env,
    });
    const app = running;
    await eventually(
      async () =>
        (await request(app.server()).get('/health')).body.dependencies?.pubsub_pull?.healthy ===
        true,
      `the stream of ${subscription} open`,
      10_000,
    );
    return app;
  };

  const createBatch = async (app: PullingApp, batchId: string, players: number) =>
    request(app.server())
      .post('/v1/batches')
      .send({
        batch_id: batchId,
        game_date: GAME_DATE,
        expected_players: Array.from({ length: players }, (_, n) => player(n)),
      })
      .expect(201);

  it('completes a 2,000-player batch published with 30% duplicates: exact counts, one effect per message, one phase-5 message on the topic', async () => {
    const admin = target.client();
    const completions = await createTopicWithSubscription(admin);
    const phase5 = await createTopicWithSubscription(admin);
    const app = await pull(completions.subscription.name, {
      OUTBOX_PUBLISHER: 'pubsub',
      PHASE5_TOPIC: phase5.topic.name.split('/').pop()!,
      // Durability of each append is not what this checks (the crash tests do).
      SQLITE_SYNCHRONOUS: 'NORMAL',
    });
    const batchId = 'batch_2026-01-22_pull';
    await createBatch(app, batchId, 2000);

    // What a worker pool does: every player once, 30% of them published a second time.
    const publisher = new PubSubClient({
      client: admin,
      topics: { [ROUTE]: completions.topic.name },
    });
    const sends = Array.from({ length: 2000 }, (_, n) => (n % 10 < 3 ? [n, n] : [n])).flat();
    const ids = await Promise.all(
      sends.map((n) => lastValueFrom(publisher.emit<string>(ROUTE, completion(batchId, n)))),
    );
    await publisher.close();
    expect(new Set(ids).size).toBe(2600);

    const view = async () =>
      (await request(app.server()).get(`/v1/batches/${batchId}`).expect(200)).body;
    await eventually(async () => (await view()).is_complete === true, 'batch complete', 60_000);
    expect(await view()).toMatchObject({
      expected_players: 2000,
      completed_count: 2000,
      failed_count: 0,
      unexpected_count: 0,
      missing_count: 0,
      total_predictions: 10_000,
      completion_reason: 'all_players',
    });
    // Every published message has exactly one effect: its own PredictionCompleted.
    const storage = app.app.get<Storage>(STORAGE);
    await eventually(
      async () => (await effectsByMessage(storage, BATCH_EVENTS.predictionCompleted)).size === 2600,
      'an effect for each of the 2,600 messages',
      30_000,
    );
    const effects = await effectsByMessage(storage, BATCH_EVENTS.predictionCompleted);
    expect([...effects.keys()].sort()).toEqual([...ids].sort());
    expect(new Set(effects.values())).toEqual(new Set([1]));
    const batchCompleted = await effectsByMessage(storage, BATCH_EVENTS.completed);
    expect([...batchCompleted.values()].reduce((sum, n) => sum + n, 0)).toBe(1);

    const subscription = completions.subscription.name;
    expect(await app.metric('shotclock_pull_acked_total', { subscription })).toBe(
      await app.metric('shotclock_pull_received_total', { subscription }),
    );
    expect(await app.metric('shotclock_pull_in_flight', { subscription })).toBe(0);

    // The phase-5 message, published once to the emulator's topic by the outbox.
    const phase5Topic = phase5.topic.name.split('/').pop()!;
    await eventually(
      async () => {
        const outbox = await request(app.server()).get('/v1/outbox').expect(200);
        const status = (outbox.body.topics as Array<{ topic: string; backlog: number }>).find(
          (topic) => topic.topic === phase5Topic,
        );
        return status?.backlog === 0;
      },
      'the phase-5 topic dispatched',
      20_000,
    );
    const [message] = await pullUntil(phase5.subscription, 1, 20_000);
    expect(JSON.parse(message!.text)).toMatchObject({
      phase: 'phase_5_predictions',
      metadata: { batch_id: batchId, completed_players: 2000, total_predictions: 10_000 },
    });
    const raw = await subscriberClient(admin);
    try {
      const more = [
        ...(await pullOnce(raw, phase5.subscription.name, 10, 1_000).catch(() => [])),
        ...(await pullAvailableNow(raw, phase5.subscription.name, 10)),
      ];
      expect(more).toEqual([]);
    } finally {
      await raw.close();
    }
  });

  it('gives a message pushed and then pulled (and one pulled and then pushed) one effect: the same idempotency key', async () => {
    const admin = target.client();
    const { topic, subscription } = await createTopicWithSubscription(admin, {
      ackDeadlineSeconds: 60,
    });
    const batchId = 'batch_2026-01-22_both';
    // Before Shotclock pulls: lease the first message, so it can be pushed first.
    const pushedFirstId = await topic.publishMessage({ json: completion(batchId, 1) });
    const [leased] = await pullUntil(subscription, 1, 10_000, { ack: false });
    expect(leased!.messageId).toBe(pushedFirstId);

    const app = await pull(subscription.name);
    await createBatch(app, batchId, 2);
    const push = (messageId: string, n: number) =>
      request(app.server())
        .post('/v1/push/prediction-completions')
        .send({
          message: {
            data: Buffer.from(JSON.stringify(completion(batchId, n))).toString('base64'),
            messageId,
            publishTime: '2026-01-22T15:02:12.000Z',
            attributes: {},
          },
          subscription: subscription.name,
        });

    // Pushed first, then its lease is given back and Shotclock pulls it: a duplicate, acked.
    expect((await push(pushedFirstId, 1)).status).toBe(204);
    const raw = await subscriberClient(admin);
    await modifyAckDeadline(raw, subscription.name, [leased!.ackId], 0);
    await raw.close();
    await eventually(
      async () =>
        (await app.metric('shotclock_pull_duplicate_total', {
          subscription: subscription.name,
        })) === 1,
      'the pulled copy answered as a duplicate',
    );

    // Pulled first, then pushed: the push is answered as a duplicate.
    const pulledFirstId = await topic.publishMessage({ json: completion(batchId, 0) });
    const storage = app.app.get<Storage>(STORAGE);
    await eventually(
      async () =>
        (await effectsByMessage(storage, BATCH_EVENTS.predictionCompleted)).has(pulledFirstId),
      'the pulled message processed',
    );
    const pushedAfter = await push(pulledFirstId, 0);
    expect(pushedAfter.status).toBe(204);
    expect(pushedAfter.headers['idempotent-replayed']).toBe('true');

    const effects = await effectsByMessage(storage, BATCH_EVENTS.predictionCompleted);
    expect(Object.fromEntries(effects)).toEqual({ [pushedFirstId]: 1, [pulledFirstId]: 1 });
  });

  it('nacks a message while the store is busy; the redelivery has its one effect', async () => {
    const admin = target.client();
    // A dead-letter policy makes Pub/Sub count delivery attempts (far above what this test needs).
    const { topic, subscription } = await createTopicWithSubscription(admin, {
      deadLetter: { maxDeliveryAttempts: 100 },
    });
    const app = await pull(subscription.name, { TIMEOUT_STORE_BUSY_MS: '300' });
    const batchId = 'batch_2026-01-22_nack';
    await createBatch(app, batchId, 1);

    const lock = await holdWriteLock(app.sqlitePath);
    let id: string;
    try {
      id = await topic.publishMessage({ json: completion(batchId, 0) });
      await eventually(
        async () =>
          (await app.metric('shotclock_pull_nacked_total', {
            subscription: subscription.name,
            reason: 'unavailable',
          })) >= 2,
        'the message nacked and redelivered while the store is locked',
        20_000,
      );
    } finally {
      await lock.release();
    }
    const view = async () =>
      (await request(app.server()).get(`/v1/batches/${batchId}`).expect(200)).body;
    await eventually(
      async () => (await view()).completed_count === 1,
      'the completion counted',
      20_000,
    );
    const storage = app.app.get<Storage>(STORAGE);
    expect(
      Object.fromEntries(await effectsByMessage(storage, BATCH_EVENTS.predictionCompleted)),
    ).toEqual({
      [id]: 1,
    });
    expect(
      await app.metric('shotclock_pull_acked_total', { subscription: subscription.name }),
    ).toBe(1);
  });

  it('confirms each ack on an exactly-once subscription', async () => {
    const admin = target.client();
    const { topic, subscription } = await createTopicWithSubscription(admin, {
      enableExactlyOnceDelivery: true,
    });
    const app = await pull(subscription.name);
    const health = await request(app.server()).get('/health').expect(200);
    expect(health.body.dependencies.pubsub_pull.subscriptions).toMatchObject([
      { subscription: subscription.name, state: 'open', exactly_once: true },
    ]);
    const batchId = 'batch_2026-01-22_exactly_once';
    await createBatch(app, batchId, 20);
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, n) => topic.publishMessage({ json: completion(batchId, n) })),
    );
    await eventually(
      async () =>
        (await app.metric('shotclock_pull_acked_total', { subscription: subscription.name })) ===
        20,
      'every message acked',
    );
    expect(
      await app.metric('shotclock_pull_ack_failures_total', { subscription: subscription.name }),
    ).toBe(0);
    const storage = app.app.get<Storage>(STORAGE);
    const effects = await effectsByMessage(storage, BATCH_EVENTS.predictionCompleted);
    expect([...effects.keys()].sort()).toEqual([...ids].sort());
  });

  it('quarantines a message that fails validation and acks it, like push answers it 202', async () => {
    const admin = target.client();
    const { topic, subscription } = await createTopicWithSubscription(admin);
    const app = await pull(subscription.name);
    const publisher = new PubSubClient({ client: admin, topics: { [ROUTE]: topic.name } });
    const id = await lastValueFrom(
      publisher.emit<string>(
        ROUTE,
        new PubSubRecord(
          { player_lookup: 'lebron-james', batch_id: 'batch_2026-01-22_bad' },
          { attributes: { source: 'pull-test' } },
        ),
      ),
    );
    await publisher.close();
    await eventually(
      async () =>
        (await app.metric('shotclock_pull_acked_total', { subscription: subscription.name })) === 1,
      'the invalid message acked',
    );
    expect(
      await app.metric('shotclock_pull_quarantined_total', { subscription: subscription.name }),
    ).toBe(1);
    const listed = await request(app.server()).get('/v1/quarantine').expect(200);
    const entry = (listed.body.items as Array<Record<string, unknown>>).find(
      (item) => item.message_id === id,
    );
    expect(entry).toMatchObject({
      reason: 'schema_violation',
      endpoint: ROUTE,
      subscription: subscription.name,
    });
    // The kept body is the envelope push would have posted: it replays like a pushed one.
    const shown = await request(app.server())
      .get(`/v1/quarantine/${String(entry!.quarantine_id)}`)
      .expect(200);
    expect(JSON.parse(shown.body.body as string)).toMatchObject({
      message: { messageId: id, attributes: { source: 'pull-test' } },
      subscription: subscription.name,
    });
  });

  it('reports a subscription that does not exist in /health and readiness, without failing readiness outside a worker', async () => {
    const missing = `projects/${target.projectId}/subscriptions/${uniqueName('missing')}`;
    running = await startPullingApp(target, { PUBSUB_SUBSCRIPTIONS: `${ROUTE}=${missing}` });
    const app = running;
    await eventually(
      async () =>
        (await request(app.server()).get('/health')).body.dependencies?.pubsub_pull
          ?.subscriptions?.[0]?.state === 'failed',
      'the subscription reported failed',
    );
    const health = await request(app.server()).get('/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.dependencies.pubsub_pull).toMatchObject({
      healthy: false,
      fails_readiness: false,
      error: expect.stringContaining(missing),
      subscriptions: [
        {
          subscription: missing,
          route: ROUTE,
          state: 'failed',
          last_error: expect.stringMatching(/NOT_FOUND|not found/i),
        },
      ],
    });
    const ready = await request(app.server()).get('/health/ready').expect(200);
    expect(ready.body.info.pubsub_pull).toMatchObject({ status: 'up', healthy: true });
  });
});
