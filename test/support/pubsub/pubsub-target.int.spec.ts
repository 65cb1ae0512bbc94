import { status } from '@grpc/grpc-js';
import type { Message, PubSub, v1 } from '@google-cloud/pubsub';
import { runComparisonScript } from './comparison-script.js';
import {
  acknowledge,
  createPushSubscription,
  createTopicWithSubscription,
  findPubSubEmulatorBinary,
  modifyAckDeadline,
  pullAvailableNow,
  pullUntil,
  PushReceiver,
  pubSubTargetKind,
  startPubSubTarget,
  subscriberClient,
  uniqueName,
  type PubSubTarget,
  type PubSubTargetKind,
} from './index.js';

// The same scenarios on the in-process fake (always) and on Google's emulator (when its binary is
// on this machine), then one script whose outcome must be equal on both.

const WAIT_MS = 15_000;
const emulatorBinary = findPubSubEmulatorBinary();
const targets = new Map<PubSubTargetKind, PubSubTarget>();

beforeAll(async () => {
  targets.set('fake', await startPubSubTarget('fake'));
  if (emulatorBinary) targets.set('emulator', await startPubSubTarget('emulator'));
  process.stderr.write(`pubsub-target contract ran on: ${[...targets.keys()].join(', ')}\n`);
}, 90_000);

afterAll(async () => {
  await Promise.all([...targets.values()].map((target) => target.stop()));
});

function target(kind: PubSubTargetKind): PubSubTarget {
  const started = targets.get(kind);
  if (!started) throw new Error(`the ${kind} Pub/Sub target was not started`);
  return started;
}

async function rpcCode(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: number }).code;
  }
  throw new Error('the call succeeded; a gRPC error was expected');
}

/** Streaming pull through the real client: acks each message with ackWithResponse(). */
async function receiveAndAck(
  pubsub: PubSub,
  subscriptionName: string,
  count: number,
): Promise<{ texts: string[]; responses: string[] }> {
  const subscription = pubsub.subscription(subscriptionName);
  const texts: string[] = [];
  const responses: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`streaming pull acked ${responses.length} of ${count} messages`)),
        WAIT_MS,
      );
      subscription.on('error', reject);
      subscription.on('message', (message: Message) => {
        texts.push(message.data.toString());
        message.ackWithResponse().then((response) => {
          responses.push(response);
          if (responses.length === count) {
            clearTimeout(timer);
            resolve();
          }
        }, reject);
      });
    });
  } finally {
    await subscription.close();
  }
  return { texts, responses };
}

function contract(kind: PubSubTargetKind): void {
  describe(`Pub/Sub target contract on the ${kind}`, () => {
    let pubsub: PubSub;
    let raw: v1.SubscriberClient;

    beforeAll(async () => {
      pubsub = target(kind).client();
      raw = await subscriberClient(pubsub);
    });
    afterAll(async () => {
      await raw.close();
    });

    it('creates and gets a topic and a subscription, with their settings', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        ackDeadlineSeconds: 30,
        enableMessageOrdering: true,
      });
      const [topicExists] = await pubsub.topic(topic.name).exists();
      const [metadata] = await pubsub.subscription(subscription.name).getMetadata();
      expect(topicExists).toBe(true);
      expect(metadata).toMatchObject({
        name: subscription.name,
        topic: topic.name,
        ackDeadlineSeconds: 30,
        enableMessageOrdering: true,
        enableExactlyOnceDelivery: false,
      });
      const [missing] = await pubsub.topic(uniqueName('absent')).exists();
      expect(missing).toBe(false);
    });

    it('publishes, pulls and acks a message with its attributes', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub);
      const messageId = await topic.publishMessage({
        data: Buffer.from('hello'),
        attributes: { kind: 'greeting', n: '1' },
      });
      const [message] = await pullUntil(subscription, 1, WAIT_MS);
      expect(message).toMatchObject({
        messageId,
        text: 'hello',
        attributes: { kind: 'greeting', n: '1' },
        orderingKey: '',
      });
      expect(await pullAvailableNow(raw, subscription.name, 10)).toEqual([]);
    });

    it('answers NOT_FOUND, ALREADY_EXISTS and INVALID_ARGUMENT with their gRPC codes', async () => {
      const absentTopic = pubsub.topic(uniqueName('absent'));
      expect(await rpcCode(absentTopic.publishMessage({ data: Buffer.from('x') }))).toBe(
        status.NOT_FOUND,
      );
      expect(await rpcCode(absentTopic.get())).toBe(status.NOT_FOUND);
      expect(await rpcCode(absentTopic.createSubscription(uniqueName('sub')))).toBe(
        status.NOT_FOUND,
      );
      expect(await rpcCode(pubsub.subscription(uniqueName('absent')).getMetadata())).toBe(
        status.NOT_FOUND,
      );
      const { topic } = await createTopicWithSubscription(pubsub);
      expect(await rpcCode(pubsub.createTopic(topic.name))).toBe(status.ALREADY_EXISTS);
      expect(await rpcCode(pubsub.createTopic('ab'))).toBe(status.INVALID_ARGUMENT);
    });

    it('redelivers a nacked message with a growing delivery attempt', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        deadLetter: { maxDeliveryAttempts: 10 },
      });
      const messageId = await topic.publishMessage({ data: Buffer.from('again') });
      const attempts: number[] = [];
      for (let round = 0; round < 3; round++) {
        const [message] = await pullUntil(subscription, 1, WAIT_MS, { ack: false });
        expect(message!.messageId).toBe(messageId);
        attempts.push(message!.deliveryAttempt);
        await modifyAckDeadline(raw, subscription.name, [message!.ackId], 0);
      }
      expect(attempts).toEqual([1, 2, 3]);
      await pullUntil(subscription, 1, WAIT_MS);
    });

    it('forwards a message to the dead-letter topic once its attempts are used up', async () => {
      const { topic, subscription, deadLetter } = await createTopicWithSubscription(pubsub, {
        deadLetter: { maxDeliveryAttempts: 5 },
      });
      await topic.publishMessage({ data: Buffer.from('doomed'), attributes: { a: 'b' } });
      for (let round = 0; round < 5; round++) {
        const [message] = await pullUntil(subscription, 1, WAIT_MS, { ack: false });
        await modifyAckDeadline(raw, subscription.name, [message!.ackId], 0);
      }
      // The source no longer delivers it (the emulator forwards when the source is pulled).
      expect(await pullAvailableNow(raw, subscription.name, 10)).toEqual([]);
      const [dead] = await pullUntil(deadLetter!.subscription, 1, WAIT_MS);
      expect(dead).toMatchObject({
        text: 'doomed',
        attributes: {
          a: 'b',
          CloudPubSubDeadLetterSourceDeliveryCount: '5',
          CloudPubSubDeadLetterSourceSubscription: subscription.name.split('/').pop(),
        },
      });
    });

    it('redelivers a message whose ack deadline expired', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        deadLetter: { maxDeliveryAttempts: 10 },
      });
      const messageId = await topic.publishMessage({ data: Buffer.from('slow') });
      const [first] = await pullUntil(subscription, 1, WAIT_MS, { ack: false });
      await modifyAckDeadline(raw, subscription.name, [first!.ackId], 1);
      const [again] = await pullUntil(subscription, 1, WAIT_MS);
      expect(again).toMatchObject({ messageId, deliveryAttempt: 2 });
      expect(again!.ackId).not.toBe(first!.ackId);
    });

    it('delivers one ordering key in publish order, the next batch only after acks', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        enableMessageOrdering: true,
      });
      const ordered = pubsub.topic(topic.name, { messageOrdering: true });
      // Per key the client publishes in order; A's batch goes out before B's.
      for (const key of ['A', 'B']) {
        await Promise.all(
          [0, 1, 2, 3].map((n) =>
            ordered.publishMessage({ data: Buffer.from(`${key}${n}`), orderingKey: key }),
          ),
        );
      }
      const [firstA] = await pullUntil(subscription, 1, WAIT_MS, { ack: false });
      expect(firstA!.text).toBe('A0');
      // A is held while A0 is leased; B is free.
      const rest = await pullAvailableNow(raw, subscription.name, 10);
      expect(rest.map((m) => m.text)).toEqual(['B0', 'B1', 'B2', 'B3']);
      expect(await pullAvailableNow(raw, subscription.name, 10)).toEqual([]);
      await acknowledge(raw, subscription.name, [firstA!.ackId]);
      const moreA = await pullUntil(subscription, 3, WAIT_MS);
      expect(moreA.map((m) => m.text)).toEqual(['A1', 'A2', 'A3']);
      // Nacking B0..B3 together redelivers the key from B0, in order.
      await modifyAckDeadline(
        raw,
        subscription.name,
        rest.map((m) => m.ackId),
        0,
      );
      const againB = await pullUntil(subscription, 4, WAIT_MS);
      expect(againB.map((m) => m.text)).toEqual(['B0', 'B1', 'B2', 'B3']);
    });

    it('streams messages to subscription.on("message") and confirms acks on exactly-once', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        enableExactlyOnceDelivery: true,
      });
      await Promise.all(
        ['s0', 's1', 's2'].map((text) => topic.publishMessage({ data: Buffer.from(text) })),
      );
      const { texts, responses } = await receiveAndAck(pubsub, subscription.name, 3);
      expect(texts.sort()).toEqual(['s0', 's1', 's2']);
      expect(responses).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      expect(await pullAvailableNow(raw, subscription.name, 10)).toEqual([]);
    });

    it('redelivers a message nacked on the stream, with the next delivery attempt', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        deadLetter: { maxDeliveryAttempts: 5 },
      });
      const streaming = pubsub.subscription(subscription.name);
      const attempts: number[] = [];
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`stream saw attempts ${JSON.stringify(attempts)}`)),
            WAIT_MS,
          );
          streaming.on('error', reject);
          streaming.on('message', (message: Message) => {
            attempts.push(message.deliveryAttempt);
            if (attempts.length === 1) return message.nack();
            message.ack();
            clearTimeout(timer);
            resolve();
          });
          void topic.publishMessage({ data: Buffer.from('nack me once') }).catch(reject);
        });
      } finally {
        await streaming.close();
      }
      expect(attempts).toEqual([1, 2]);
    });

    it('rejects an ack id that is no longer valid on an exactly-once subscription', async () => {
      const { topic, subscription } = await createTopicWithSubscription(pubsub, {
        enableExactlyOnceDelivery: true,
      });
      await topic.publishMessage({ data: Buffer.from('once') });
      const [message] = await pullUntil(subscription, 1, WAIT_MS);
      let failure: { code?: number; errorInfoMetadata?: Record<string, string> } | undefined;
      try {
        await acknowledge(raw, subscription.name, [message!.ackId]);
      } catch (error) {
        failure = error as typeof failure;
      }
      expect(failure?.code).toBe(status.INVALID_ARGUMENT);
      expect(failure?.errorInfoMetadata).toEqual({
        [message!.ackId]: 'PERMANENT_FAILURE_INVALID_ACK_ID',
      });
    });

    it('pushes the wrapped envelope to a local HTTP server and retries a non-2xx answer', async () => {
      const receiver = await PushReceiver.start((_push, index) => (index === 0 ? 503 : 204));
      try {
        const [topic] = await pubsub.createTopic(uniqueName('push-topic'));
        const { subscription } = await createPushSubscription(pubsub, topic, receiver.url);
        const messageId = await topic.publishMessage({
          data: Buffer.from('{"pushed":true}'),
          attributes: { source: 'contract' },
        });
        const [first, second] = await receiver.waitForCount(2, WAIT_MS);
        expect(first!.status).toBe(503);
        expect(second!.status).toBe(204);
        expect(second!.body).toEqual(first!.body);
        const envelope = second!.body;
        expect(envelope.subscription).toBe(subscription.name);
        expect(Object.keys(envelope.message).sort()).toEqual(
          ['attributes', 'data', 'messageId', 'message_id', 'publishTime', 'publish_time'].sort(),
        );
        expect(envelope.message).toMatchObject({
          data: Buffer.from('{"pushed":true}').toString('base64'),
          attributes: { source: 'contract' },
          messageId,
          message_id: messageId,
        });
        expect(envelope.message.publish_time).toBe(envelope.message.publishTime);
        expect(Number.isNaN(Date.parse(envelope.message.publishTime))).toBe(false);
        expect(second!.path).toBe('/push');
        expect(second!.headers['content-type']).toMatch(/^application\/json/);
        expect(second!.headers.authorization).toBeUndefined();
      } finally {
        await receiver.close();
      }
    });

    it('resets to no topics and restarts on the same port with empty state', async () => {
      const running = target(kind);
      const { topic } = await createTopicWithSubscription(pubsub);
      await running.reset();
      expect((await pubsub.topic(topic.name).exists())[0]).toBe(false);

      const [kept] = await pubsub.createTopic(uniqueName('before-restart'));
      const hostBefore = running.host;
      await running.restart();
      expect(running.host).toBe(hostBefore);
      expect(running.env()['PUBSUB_EMULATOR_HOST']).toBe(hostBefore);
      expect((await pubsub.topic(kept.name).exists())[0]).toBe(false);
      const after = await createTopicWithSubscription(pubsub);
      await after.topic.publishMessage({ data: Buffer.from('after restart') });
      const [message] = await pullUntil(after.subscription, 1, WAIT_MS);
      expect(message!.text).toBe('after restart');
    });
  });
}

contract('fake');

if (emulatorBinary) {
  contract('emulator');

  describe('the same script on the fake and on the emulator', () => {
    it('has the same normalised outcome on both', async () => {
      const [onFake, onEmulator] = await Promise.all([
        runComparisonScript(target('fake').client()),
        runComparisonScript(target('emulator').client()),
      ]);
      expect(onFake.seen).toEqual(Array.from({ length: 50 }, (_, index) => index));
      expect(onFake.backlogAfter).toBe(0);
      expect(onFake.ackOrder['alpha']).toEqual(onFake.firstDeliveryOrder['alpha']);
      expect(onFake).toEqual(onEmulator);
    });
  });
} else {
  describe('Pub/Sub target contract on the emulator: absent on this machine, only the fake ran', () => {
    it('finds no emulator binary, so only the fake ran, and asking for it fails clearly', async () => {
      expect(findPubSubEmulatorBinary()).toBeUndefined();
      await expect(startPubSubTarget('emulator')).rejects.toThrow(/no binary was found/);
    });
  });
}

describe('which Pub/Sub target SHOTCLOCK_PUBSUB_TARGET selects', () => {
  const saved = process.env['SHOTCLOCK_PUBSUB_TARGET'];
  afterEach(() => {
    if (saved === undefined) delete process.env['SHOTCLOCK_PUBSUB_TARGET'];
    else process.env['SHOTCLOCK_PUBSUB_TARGET'] = saved;
  });

  it.each([
    ['fake', 'fake'],
    ['emulator', 'emulator'],
    ['auto', emulatorBinary ? 'emulator' : 'fake'],
    ['', emulatorBinary ? 'emulator' : 'fake'],
  ])('%p picks the %s', (value, expected) => {
    process.env['SHOTCLOCK_PUBSUB_TARGET'] = value;
    expect(pubSubTargetKind()).toBe(expected);
  });

  it('rejects an unknown value, naming the accepted ones', () => {
    process.env['SHOTCLOCK_PUBSUB_TARGET'] = 'cloud';
    expect(() => pubSubTargetKind()).toThrow(
      'SHOTCLOCK_PUBSUB_TARGET=cloud is not one of emulator, fake, auto',
    );
  });
});
