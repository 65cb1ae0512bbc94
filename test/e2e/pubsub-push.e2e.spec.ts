import type { AddressInfo } from 'node:net';
import type { PubSub, Subscription } from '@google-cloud/pubsub';
import request from 'supertest';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import {
  eventsOfType,
  PHASE2_PUSH,
  PHASE3_TOPIC,
  phase2Fixture,
  REQUIRED_REPORTS,
} from '../support/phase-fixtures.js';
import {
  createPushSubscription,
  createTopicWithSubscription,
  pullAvailableNow,
  pullUntil,
  startPubSubTarget,
  subscriberClient,
  uniqueName,
  type PubSubTarget,
} from '../support/pubsub/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

/** PHASE5_TOPIC's default. */
const PHASE5_TOPIC = 'nba-phase5-predictions-complete';
const PULL_TIMEOUT_MS = 20_000;
const WAIT_MS = 20_000;

type Server = Parameters<typeof request>[0];

/**
 * Push end to end: production-format phase-2 completions published to a topic of the Pub/Sub test
 * target, delivered by its push subscription to Shotclock's push route over real HTTP; Shotclock
 * triggers phase 3 and publishes the trigger to the target's `nba-phase3-trigger`, which the test
 * pulls with the real client.
 */
describe('Pub/Sub push end to end (test target -> Shotclock -> nba-phase3-trigger)', () => {
  let target: PubSubTarget;
  let admin: PubSub;
  let service: TestApp;
  let server: Server;
  let phase3: Subscription;
  let phase2Topic: string;

  beforeAll(async () => {
    target = await startPubSubTarget();
    admin = target.client();
    ({ subscription: phase3 } = await createTopicWithSubscription(admin, {
      topicName: PHASE3_TOPIC,
    }));
    await admin.createTopic(PHASE5_TOPIC); // the deployment creates both outbox topics
    phase2Topic = uniqueName('nba-phase2-raw-complete');
    await admin.createTopic(phase2Topic);
    // The target's push deliveries carry no Authorization header: push auth off, as in development.
    service = await startTestApp({
      ...target.env(),
      OUTBOX_PUBLISHER: 'pubsub',
      PUSH_AUTH: 'none',
      LOG_LEVEL: 'error',
    });
    await service.app.listen(0, '127.0.0.1');
    server = service.app.getHttpServer();
    const { port } = service.app.getHttpServer().address() as AddressInfo;
    await createPushSubscription(admin, phase2Topic, `http://127.0.0.1:${port}${PHASE2_PUSH}`);
  });
  afterAll(async () => {
    await service?.close();
    await target?.stop();
  });

  it('found its topic at boot', async () => {
    const outbox = (await request(server).get(`/v1/outbox?topic=${PHASE3_TOPIC}`).expect(200))
      .body as { publisher: string; topics: Array<{ topic: string; topic_check: unknown }> };
    expect(outbox.publisher).toBe('pubsub');
    expect(outbox.topics.find((t) => t.topic === PHASE3_TOPIC)?.topic_check).toMatchObject({
      state: 'exists',
    });
  });

  it('answers a resume of a running topic with resumed: false, of an unknown topic with 404', async () => {
    const running = await request(server).post(`/v1/outbox/${PHASE3_TOPIC}/resume`).expect(200);
    expect(running.body).toMatchObject({ topic: PHASE3_TOPIC, resumed: false });
    const unknown = await request(server).post('/v1/outbox/no-such-topic/resume').expect(404);
    expect(JSON.stringify(unknown.body)).toContain(PHASE3_TOPIC);
  });

  it('triggers phase 3 once from pushed production completions and publishes exactly one trigger', async () => {
    const sample = phase2Fixture.data;
    const gameDate = String(sample.game_date);
    // The production sample (a tracked processor) and one completion per required processor, as
    // their publishers send them; the last required one completes the fan-in.
    const completions = [
      sample,
      ...REQUIRED_REPORTS.map((report) => ({
        ...sample,
        processor_name: report.processor_name,
        output_table: report.output_table,
        execution_id: `exec-${report.processor_name}`,
      })),
    ];
    const topic = admin.topic(phase2Topic);
    for (const completion of completions) {
      await topic.publishMessage({ data: Buffer.from(JSON.stringify(completion)) });
    }

    const [trigger] = await pullUntil(phase3, 1, PULL_TIMEOUT_MS);
    const storage = service.app.get<Storage>(STORAGE);
    const triggered = (
      await request(server).get('/v1/events?type=Phase3Triggered&limit=10').expect(200)
    ).body.events as Array<{ eventId: string }>;
    expect(triggered).toHaveLength(1);
    expect(trigger!.attributes).toEqual({
      shotclock_message_id: `${PHASE3_TOPIC}:${triggered[0]!.eventId}`,
      event_type: 'Phase3Triggered',
      correlation_id: sample.correlation_id,
      game_date: gameDate,
      trigger_reason: 'all_complete',
      partial: 'false',
    });
    expect(JSON.parse(trigger!.text)).toMatchObject({
      game_date: gameDate,
      correlation_id: sample.correlation_id,
      trigger_reason: 'all_complete',
      triggered_by: 'shotclock',
      partial: false,
      missing_processors: [],
    });

    // Exactly one: every completion is recorded, the log holds one trigger, the dispatcher has
    // passed the whole log, and nothing else waits on the subscription.
    await eventually(
      async () =>
        (await eventsOfType(server, 'Phase2ProcessorReported')).length === completions.length,
      'every pushed completion recorded',
      WAIT_MS,
    );
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(1);
    await eventually(
      async () => {
        const topics = (await request(server).get('/v1/outbox').expect(200)).body.topics as Array<{
          topic: string;
          backlog: number;
        }>;
        return topics.find((t) => t.topic === PHASE3_TOPIC)?.backlog === 0;
      },
      'the phase-3 dispatcher passed the whole log',
      WAIT_MS,
    );
    expect(await storage.outbox.deliveries({ topic: PHASE3_TOPIC, limit: 10 })).toHaveLength(1);
    const subscriber = await subscriberClient(admin);
    try {
      expect(await pullAvailableNow(subscriber, phase3.name, 10)).toEqual([]);
    } finally {
      await subscriber.close();
    }
  });
});
