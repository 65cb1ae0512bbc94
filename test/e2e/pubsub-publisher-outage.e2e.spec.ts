import type { PubSub, Subscription } from '@google-cloud/pubsub';
import request from 'supertest';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { PHASE3_TOPIC } from '../support/phase-fixtures.js';
import {
  createTopicWithSubscription,
  pullAvailableNow,
  pullUntil,
  startPubSubTarget,
  subscriberClient,
  type PubSubTarget,
} from '../support/pubsub/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PULL_TIMEOUT_MS = 20_000;
const WAIT_MS = 20_000;
const BEFORE = '2026-01-20';
const DURING = ['2026-01-21', '2026-01-22', '2026-01-23', '2026-01-24'];

type Server = Parameters<typeof request>[0];

interface TopicStatus {
  topic: string;
  state: string;
  backlog: number;
  last_error: string | null;
  failed_attempts: number;
  stopped_reason: string | null;
}

async function phase3Status(server: Server): Promise<TopicStatus> {
  const topics = (await request(server).get('/v1/outbox').expect(200)).body.topics as TopicStatus[];
  const status = topics.find((t) => t.topic === PHASE3_TOPIC);
  if (!status) throw new Error(`no ${PHASE3_TOPIC} in GET /v1/outbox: ${JSON.stringify(topics)}`);
  return status;
}

async function triggerByHand(server: Server, gameDate: string) {
  await request(server)
    .post(`/v1/phases/${gameDate}/trigger`)
    .send({ reason: 'outage test' })
    .expect(201);
}

/** Creates the phase-3 topic and an ordered subscription, as the deployment does. */
async function createPhase3Topic(admin: PubSub): Promise<Subscription> {
  const { subscription } = await createTopicWithSubscription(admin, {
    topicName: PHASE3_TOPIC,
    enableMessageOrdering: true,
  });
  return subscription;
}

/**
 * Pub/Sub goes away while phase-3 triggers are decided: the backlog grows and shows, nothing is
 * lost; the restarted service has lost its topics (as the emulator does), so the topic stops for
 * good (NOT_FOUND) with an alert until an operator recreates it and resumes; then every message
 * arrives once, in order per ordering key.
 */
describe('Pub/Sub publisher outage (test target stopped while events are produced)', () => {
  let target: PubSubTarget;
  let service: TestApp;
  let server: Server;

  beforeAll(async () => {
    target = await startPubSubTarget();
    service = await startTestApp({
      ...target.env(),
      OUTBOX_PUBLISHER: 'pubsub',
      PUBSUB_ORDERING: 'true',
      TIMEOUT_PUBSUB_PUBLISH_MS: '1000',
      LOG_LEVEL: 'fatal',
    });
    server = service.app.getHttpServer();
  });
  afterAll(async () => {
    await service?.close();
    await target?.stop();
  });

  it('keeps the backlog through the outage and delivers every message once after the restart', async () => {
    let admin = target.client();
    let phase3 = await createPhase3Topic(admin);
    await triggerByHand(server, BEFORE);
    const [before] = await pullUntil(phase3, 1, PULL_TIMEOUT_MS);
    // A manual trigger's correlation id (the route's, as its body carries it).
    expect(before!.attributes).toMatchObject({
      game_date: BEFORE,
      correlation_id: `phase3-${BEFORE}`,
    });
    expect(before!.orderingKey).toBe(`phase2-${BEFORE}`);

    await target.stop();
    for (const date of DURING) await triggerByHand(server, date);

    // The backlog grows and is visible; publishing fails and is retried; the service stays ready.
    await eventually(
      async () => {
        const status = await phase3Status(server);
        return status.failed_attempts > 0 && status.backlog >= DURING.length;
      },
      'the phase-3 topic failing with the triggers in its backlog',
      WAIT_MS,
    );
    expect((await phase3Status(server)).last_error).toContain('retried with backoff');
    const health = (await request(server).get('/health').expect(200)).body;
    expect(health.status).toBe('degraded');
    expect(health.dependencies.outbox.error).toContain(`${PHASE3_TOPIC} failing`);
    await request(server).get('/health/ready').expect(200);

    // Back, but empty (the emulator keeps nothing): the topic is missing, refused for good.
    await target.restart();
    admin = target.client();
    await eventually(
      async () => (await phase3Status(server)).state === 'stopped',
      'the phase-3 topic stopped on NOT_FOUND',
      WAIT_MS,
    );
    const stopped = await phase3Status(server);
    expect(stopped.stopped_reason).toContain('NOT_FOUND');
    expect(stopped.backlog).toBeGreaterThanOrEqual(DURING.length);
    const ready = (await request(server).get('/health/ready').expect(200)).body;
    expect(ready.info.outbox.stopped_topics).toEqual([
      { topic: PHASE3_TOPIC, reason: stopped.stopped_reason },
    ]);
    await eventually(
      async () =>
        (await request(server).get('/v1/alerts?kind=outbox_topic_stopped').expect(200)).body.items
          .length === 1,
      'the outbox_topic_stopped alert',
      WAIT_MS,
    );

    // The operator recreates the topic and resumes it.
    phase3 = await createPhase3Topic(admin);
    const resumed = await request(server).post(`/v1/outbox/${PHASE3_TOPIC}/resume`).expect(200);
    expect(resumed.body).toMatchObject({ topic: PHASE3_TOPIC, resumed: true });

    const after = await pullUntil(phase3, DURING.length, PULL_TIMEOUT_MS);
    expect(after.map((m) => m.attributes.game_date).sort()).toEqual(DURING);
    for (const message of after) {
      const gameDate = message.attributes.game_date;
      expect(message.orderingKey).toBe(`phase2-${gameDate}`);
      expect(message.attributes).toMatchObject({
        event_type: 'Phase3Triggered',
        correlation_id: `phase3-${gameDate}`,
        shotclock_message_id: expect.stringMatching(new RegExp(`^${PHASE3_TOPIC}:`)),
      });
    }
    // Once: every trigger delivered once, nothing left behind or sent twice.
    await eventually(
      async () => (await phase3Status(server)).backlog === 0,
      'backlog drained',
      WAIT_MS,
    );
    const storage = service.app.get<Storage>(STORAGE);
    const delivered = await storage.outbox.deliveries({ topic: PHASE3_TOPIC, limit: 100 });
    expect(delivered.map((d) => d.deliveredAt !== null)).toEqual(
      Array(1 + DURING.length).fill(true),
    );
    // In order per ordering key: each key's messages arrive in log order (the order delivered).
    const logOrder = delivered.map((d) => d.messageId);
    const byKey = new Map<string, string[]>();
    for (const message of after) {
      const ids = byKey.get(message.orderingKey) ?? [];
      byKey.set(message.orderingKey, [...ids, message.attributes.shotclock_message_id!]);
    }
    for (const ids of byKey.values()) {
      expect(ids).toEqual(logOrder.filter((id) => ids.includes(id)));
    }
    const subscriber = await subscriberClient(admin);
    try {
      expect(await pullAvailableNow(subscriber, phase3.name, 10)).toEqual([]);
    } finally {
      await subscriber.close();
    }
  });
});
