import type { PubSub, v1 } from '@google-cloud/pubsub';
import {
  acknowledge,
  modifyAckDeadline,
  pullAvailableNow,
  pullOnce,
  subscriberClient,
  type PulledMessage,
} from './pull.js';
import { createTopicWithSubscription, uniqueName } from './resources.js';

/**
 * A fixed consumer script run the same way on each target, whose normalised outcome must be equal
 * on both so that the fake cannot drift from the emulator: 50 messages with attributes on two
 * ordering keys (and some without), an ordered subscription with a dead-letter policy (so both
 * report delivery attempts), some messages nacked on first delivery, one left to let its ack
 * deadline expire, everything else acked in per-key order.
 */

const MESSAGE_COUNT = 50;
const NACKED_ON_FIRST_DELIVERY = new Set([2, 7, 9, 26, 33]);
const EXPIRED_ON_FIRST_DELIVERY = 24;
const EXPIRY_SECONDS = 1;
const PULL_WAIT_MS = 5_000;
const SCRIPT_TIMEOUT_MS = 40_000;
const MAX_DELIVERY_ATTEMPTS = 10;

export function orderingKeyOf(index: number): string {
  if (index % 5 === 4) return '';
  return index % 2 === 0 ? 'alpha' : 'beta';
}

export interface ComparisonOutcome {
  /** Indexes of the messages seen at least once, ascending. */
  seen: number[];
  /** Per message index: its attributes and ordering key as delivered. */
  messages: Record<number, { attributes: Record<string, string>; orderingKey: string }>;
  /** Per ordering key: the indexes in the order of their first delivery, and of their acks. */
  firstDeliveryOrder: Record<string, number[]>;
  ackOrder: Record<string, number[]>;
  /** Per message index: the delivery attempts reported, in delivery order. */
  deliveryAttempts: Record<number, number[]>;
  /** Messages deliverable once everything was acked (0 when nothing is left). */
  backlogAfter: number;
}

export async function runComparisonScript(pubsub: PubSub): Promise<ComparisonOutcome> {
  const { topic, subscription } = await createTopicWithSubscription(pubsub, {
    topicName: uniqueName('compare'),
    enableMessageOrdering: true,
    deadLetter: { maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
  });
  const orderedTopic = pubsub.topic(topic.name, { messageOrdering: true });
  await Promise.all(
    Array.from({ length: MESSAGE_COUNT }, (_, index) =>
      orderedTopic.publishMessage({
        data: Buffer.from(`message-${index}`),
        attributes: { index: String(index), parity: index % 2 === 0 ? 'even' : 'odd' },
        orderingKey: orderingKeyOf(index),
      }),
    ),
  );
  const client = await subscriberClient(pubsub);
  try {
    const consumer = new ScriptedConsumer(client, subscription.name);
    await consumer.consumeAll();
    const backlog = await pullAvailableNow(client, subscription.name, MESSAGE_COUNT);
    return { ...consumer.outcome(), backlogAfter: backlog.length };
  } finally {
    await client.close();
  }
}

class ScriptedConsumer {
  private readonly deliveries: Array<{ index: number; message: PulledMessage }> = [];
  private readonly acked = new Map<string, number[]>();
  private readonly ackedIndexes = new Set<number>();

  constructor(
    private readonly client: v1.SubscriberClient,
    private readonly subscription: string,
  ) {}

  async consumeAll(): Promise<void> {
    const deadline = Date.now() + SCRIPT_TIMEOUT_MS;
    while (this.ackedIndexes.size < MESSAGE_COUNT) {
      if (Date.now() > deadline) {
        throw new Error(
          `comparison script: ${this.ackedIndexes.size} of ${MESSAGE_COUNT} messages acked within ` +
            `${SCRIPT_TIMEOUT_MS} ms on ${this.subscription}`,
        );
      }
      const batch = await pullOnce(this.client, this.subscription, 100, PULL_WAIT_MS);
      await this.handle(batch);
    }
  }

  outcome(): Omit<ComparisonOutcome, 'backlogAfter'> {
    const firstDeliveryOrder: Record<string, number[]> = {};
    const messages: ComparisonOutcome['messages'] = {};
    const deliveryAttempts: Record<number, number[]> = {};
    for (const { index, message } of this.deliveries) {
      const key = message.orderingKey || '(none)';
      if (!(index in messages)) {
        (firstDeliveryOrder[key] ??= []).push(index);
        messages[index] = { attributes: message.attributes, orderingKey: message.orderingKey };
      }
      (deliveryAttempts[index] ??= []).push(message.deliveryAttempt);
    }
    return {
      seen: Object.keys(messages)
        .map(Number)
        .sort((a, b) => a - b),
      messages,
      firstDeliveryOrder,
      ackOrder: Object.fromEntries(this.acked),
      deliveryAttempts,
    };
  }

  /**
   * A keyed message is acked only when every earlier message of its key is acked (what a correct
   * ordered consumer does); otherwise, and for the scripted nacks, it is nacked.
   */
  private async handle(batch: PulledMessage[]): Promise<void> {
    const acks: string[] = [];
    const nacks: string[] = [];
    const expiring: string[] = [];
    for (const message of batch) {
      const index = Number(message.attributes['index']);
      const firstDelivery = !this.deliveries.some((delivery) => delivery.index === index);
      this.deliveries.push({ index, message });
      const key = message.orderingKey || '(none)';
      if (firstDelivery && index === EXPIRED_ON_FIRST_DELIVERY) {
        expiring.push(message.ackId);
      } else if (
        (firstDelivery && NACKED_ON_FIRST_DELIVERY.has(index)) ||
        (message.orderingKey !== '' && !this.earlierOfKeyAcked(index))
      ) {
        nacks.push(message.ackId);
      } else {
        acks.push(message.ackId);
        this.ackedIndexes.add(index);
        const order = this.acked.get(key) ?? [];
        order.push(index);
        this.acked.set(key, order);
      }
    }
    if (acks.length > 0) await acknowledge(this.client, this.subscription, acks);
    if (nacks.length > 0) await modifyAckDeadline(this.client, this.subscription, nacks, 0);
    if (expiring.length > 0) {
      await modifyAckDeadline(this.client, this.subscription, expiring, EXPIRY_SECONDS);
    }
  }

  private earlierOfKeyAcked(index: number): boolean {
    const key = orderingKeyOf(index);
    for (let earlier = 0; earlier < index; earlier++) {
      if (orderingKeyOf(earlier) === key && !this.ackedIndexes.has(earlier)) return false;
    }
    return true;
  }
}
