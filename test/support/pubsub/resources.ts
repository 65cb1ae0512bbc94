import { randomBytes } from 'node:crypto';
import type { CreateSubscriptionOptions, PubSub, Subscription, Topic } from '@google-cloud/pubsub';

let nameCounter = 0;

/**
 * A topic or subscription name unique in this run (Pub/Sub names: a letter first, at least 3
 * characters, letters, digits and `-_.~+%`).
 */
export function uniqueName(prefix: string): string {
  if (!/^[A-Za-z][A-Za-z0-9\-_.~+%]*$/.test(prefix)) {
    throw new Error(
      `'${prefix}' cannot start a Pub/Sub resource name (a letter, then [A-Za-z0-9-_.~+%])`,
    );
  }
  nameCounter += 1;
  return `${prefix}-${process.pid}-${nameCounter}-${randomBytes(3).toString('hex')}`;
}

export interface DeadLetterOptions {
  /** 5..100, as on Google's service (the emulator and the fake check it too). */
  maxDeliveryAttempts: number;
}

export interface SubscriptionHelperOptions {
  /** Default: uniqueName('topic'). */
  topicName?: string;
  /** Default: uniqueName('sub'). */
  subscriptionName?: string;
  ackDeadlineSeconds?: number;
  enableMessageOrdering?: boolean;
  enableExactlyOnceDelivery?: boolean;
  /**
   * Adds a dead-letter topic (with a pull subscription that keeps what is forwarded to it). Also
   * makes the service report `deliveryAttempt` on every message, which it does only then.
   */
  deadLetter?: DeadLetterOptions;
}

export interface TopicWithSubscription {
  topic: Topic;
  subscription: Subscription;
  deadLetter?: { topic: Topic; subscription: Subscription };
}

/** Creates a topic and a pull subscription on it. */
export async function createTopicWithSubscription(
  pubsub: PubSub,
  options: SubscriptionHelperOptions = {},
): Promise<TopicWithSubscription> {
  const [topic] = await pubsub.createTopic(options.topicName ?? uniqueName('topic'));
  const { subscription, deadLetter } = await createSubscription(pubsub, topic, options, {});
  return deadLetter ? { topic, subscription, deadLetter } : { topic, subscription };
}

/** Creates a push subscription on `topic` that POSTs the wrapped envelope to `pushEndpoint`. */
export async function createPushSubscription(
  pubsub: PubSub,
  topic: Topic | string,
  pushEndpoint: string,
  options: Omit<SubscriptionHelperOptions, 'topicName'> = {},
): Promise<TopicWithSubscription> {
  const topicObject = typeof topic === 'string' ? pubsub.topic(topic) : topic;
  const { subscription, deadLetter } = await createSubscription(pubsub, topicObject, options, {
    pushConfig: { pushEndpoint },
  });
  return deadLetter
    ? { topic: topicObject, subscription, deadLetter }
    : { topic: topicObject, subscription };
}

async function createSubscription(
  pubsub: PubSub,
  topic: Topic,
  options: SubscriptionHelperOptions,
  extra: CreateSubscriptionOptions,
): Promise<Omit<TopicWithSubscription, 'topic'>> {
  const settings: CreateSubscriptionOptions = { ...extra };
  if (options.ackDeadlineSeconds !== undefined)
    settings.ackDeadlineSeconds = options.ackDeadlineSeconds;
  if (options.enableMessageOrdering !== undefined) {
    settings.enableMessageOrdering = options.enableMessageOrdering;
  }
  if (options.enableExactlyOnceDelivery !== undefined) {
    settings.enableExactlyOnceDelivery = options.enableExactlyOnceDelivery;
  }
  let deadLetter: TopicWithSubscription['deadLetter'];
  if (options.deadLetter) {
    const [deadLetterTopic] = await pubsub.createTopic(uniqueName('dead-letter'));
    const [deadLetterSubscription] = await deadLetterTopic.createSubscription(
      uniqueName('dead-letter-sub'),
    );
    deadLetter = { topic: deadLetterTopic, subscription: deadLetterSubscription };
    settings.deadLetterPolicy = {
      deadLetterTopic: deadLetterTopic.name,
      maxDeliveryAttempts: options.deadLetter.maxDeliveryAttempts,
    };
  }
  const [subscription] = await topic.createSubscription(
    options.subscriptionName ?? uniqueName('sub'),
    settings,
  );
  return deadLetter ? { subscription, deadLetter } : { subscription };
}
