import { alreadyExists, FakeRpcError, invalidArgument, notFound } from './errors.js';
import { status } from '@grpc/grpc-js';
import { projectOf, shortName, validateSubscriptionName, validateTopicName } from './names.js';
import { SubscriptionQueue } from './subscription-queue.js';
import type {
  DeadLetterPolicyWire,
  PubsubMessageWire,
  SubscriptionWire,
  TopicWire,
} from './wire-types.js';

const DEFAULT_ACK_DEADLINE_SECONDS = 10;
const MAX_ACK_DEADLINE_SECONDS = 600;
const DEFAULT_RETENTION = { seconds: '604800', nanos: 0 };
const MIN_DELIVERY_ATTEMPTS = 5;
const MAX_DELIVERY_ATTEMPTS = 100;
/** What the emulator puts in a subscription's `topic` once the topic is deleted. */
const DELETED_TOPIC = '_deleted-topic_';

/**
 * The fake's state: topics, subscriptions (each a SubscriptionQueue) and the id counters. Message
 * ids and ack ids count up from 1 across the whole fake, as the emulator's do.
 */
export class Broker {
  private readonly topics = new Map<string, TopicWire>();
  private readonly subscriptions = new Map<string, SubscriptionQueue>();
  private readonly subscriptionCreatedListeners = new Set<(queue: SubscriptionQueue) => void>();
  private lastMessageId = 0;
  private lastAckNumber = 0;

  onSubscriptionCreated(listener: (queue: SubscriptionQueue) => void): void {
    this.subscriptionCreatedListeners.add(listener);
  }

  createTopic(topic: TopicWire): TopicWire {
    validateTopicName(topic.name);
    if (this.topics.has(topic.name)) throw alreadyExists('Topic already exists');
    this.topics.set(topic.name, topic);
    return topic;
  }

  topic(name: string): TopicWire {
    const topic = this.topics.get(name);
    if (!topic) throw notFound('Topic not found');
    return topic;
  }

  listTopics(project: string): TopicWire[] {
    return [...this.topics.values()].filter(
      (topic) => projectOf(topic.name) === shortName(project),
    );
  }

  deleteTopic(name: string): void {
    this.topic(name);
    this.topics.delete(name);
    for (const queue of this.subscriptions.values()) {
      if (queue.config.topic === name) queue.config.topic = DELETED_TOPIC;
    }
  }

  topicSubscriptions(name: string): string[] {
    this.topic(name);
    return [...this.subscriptions.values()]
      .filter((queue) => queue.config.topic === name)
      .map((queue) => queue.name);
  }

  publish(topicName: string, messages: PubsubMessageWire[]): string[] {
    this.topic(topicName);
    if (messages.length === 0) throw invalidArgument('No messages in the request');
    if (messages.some((m) => m.data.length === 0 && Object.keys(m.attributes).length === 0)) {
      throw invalidArgument('Some messages are empty');
    }
    return messages.map((message) => this.deliverToSubscriptions(topicName, message));
  }

  createSubscription(requested: SubscriptionWire): SubscriptionWire {
    validateSubscriptionName(requested.name);
    if (!this.topics.has(requested.topic)) throw notFound('Subscription topic does not exist');
    if (this.subscriptions.has(requested.name)) throw alreadyExists('Subscription already exists');
    const ackDeadlineSeconds = requested.ackDeadlineSeconds || DEFAULT_ACK_DEADLINE_SECONDS;
    if (ackDeadlineSeconds < 0 || ackDeadlineSeconds > MAX_ACK_DEADLINE_SECONDS) {
      throw invalidArgument('ack_deadline_secs out of bounds');
    }
    const deadLetterPolicy = this.checkDeadLetterPolicy(requested.deadLetterPolicy);
    const config: SubscriptionWire = {
      ...requested,
      deadLetterPolicy,
      ackDeadlineSeconds,
      pushConfig: requested.pushConfig ?? { pushEndpoint: '', attributes: {} },
      messageRetentionDuration: requested['messageRetentionDuration'] ?? DEFAULT_RETENTION,
    };
    const queue = new SubscriptionQueue(
      config,
      () => ++this.lastAckNumber,
      (message, attempts) => this.forwardToDeadLetter(config, message, attempts),
    );
    this.subscriptions.set(config.name, queue);
    for (const listener of this.subscriptionCreatedListeners) listener(queue);
    return config;
  }

  /** The emulator's checks; 0 attempts means the default, 5. */
  private checkDeadLetterPolicy(policy: DeadLetterPolicyWire | null): DeadLetterPolicyWire | null {
    if (!policy) return null;
    const maxDeliveryAttempts = policy.maxDeliveryAttempts || MIN_DELIVERY_ATTEMPTS;
    if (
      maxDeliveryAttempts < MIN_DELIVERY_ATTEMPTS ||
      maxDeliveryAttempts > MAX_DELIVERY_ATTEMPTS
    ) {
      const which = maxDeliveryAttempts < MIN_DELIVERY_ATTEMPTS ? 'small' : 'large';
      const bound =
        which === 'small'
          ? `minimum value is ${MIN_DELIVERY_ATTEMPTS}`
          : `maximum value is ${MAX_DELIVERY_ATTEMPTS}`;
      throw new FakeRpcError(
        status.OUT_OF_RANGE,
        `The value for max_delivery_attempts is too ${which}. You passed ${maxDeliveryAttempts} in the request, but the ${bound}.`,
      );
    }
    if (!this.topics.has(policy.deadLetterTopic)) throw notFound('Dead letter topic not found');
    return { ...policy, maxDeliveryAttempts };
  }

  subscription(name: string): SubscriptionQueue {
    const queue = this.subscriptions.get(name);
    if (!queue) throw notFound('Subscription does not exist');
    return queue;
  }

  listSubscriptions(project: string): SubscriptionWire[] {
    return [...this.subscriptions.values()]
      .filter((queue) => projectOf(queue.name) === shortName(project))
      .map((queue) => queue.config);
  }

  deleteSubscription(name: string): void {
    this.subscription(name).close();
    this.subscriptions.delete(name);
  }

  /** Drops everything, like the emulator's POST /reset; open streams and waiting pulls end. */
  reset(): void {
    for (const queue of this.subscriptions.values()) queue.close();
    this.subscriptions.clear();
    this.topics.clear();
  }

  private deliverToSubscriptions(topicName: string, published: PubsubMessageWire): string {
    const now = Date.now();
    const message: PubsubMessageWire = {
      data: published.data,
      attributes: { ...published.attributes },
      orderingKey: published.orderingKey,
      messageId: String(++this.lastMessageId),
      publishTime: { seconds: String(Math.floor(now / 1000)), nanos: (now % 1000) * 1e6 },
    };
    for (const queue of this.subscriptions.values()) {
      if (queue.config.topic === topicName) queue.enqueue(message);
    }
    return message.messageId;
  }

  /** Republishes to the dead-letter topic with the emulator's CloudPubSubDeadLetterSource* attributes. */
  private forwardToDeadLetter(
    subscription: SubscriptionWire,
    message: PubsubMessageWire,
    attempts: number,
  ): boolean {
    const deadLetterTopic = subscription.deadLetterPolicy?.deadLetterTopic ?? '';
    if (!this.topics.has(deadLetterTopic)) return false;
    const publishedMs =
      Number(message.publishTime?.seconds ?? 0) * 1000 +
      Math.floor((message.publishTime?.nanos ?? 0) / 1e6);
    this.deliverToSubscriptions(deadLetterTopic, {
      ...message,
      attributes: {
        ...message.attributes,
        CloudPubSubDeadLetterSourceDeliveryCount: String(attempts),
        CloudPubSubDeadLetterSourceSubscription: shortName(subscription.name),
        CloudPubSubDeadLetterSourceTopicPublishTime: new Date(publishedMs).toISOString(),
        CloudPubSubDeadLetterSourceSubscriptionProject: projectOf(subscription.name),
      },
    });
    return true;
  }
}
