import { v1, type protos, type PubSub, type Subscription } from '@google-cloud/pubsub';

/** A message as synchronous pull returns it, with the fields tests compare. */
export interface PulledMessage {
  ackId: string;
  messageId: string;
  data: Buffer;
  /** `data` as UTF-8. */
  text: string;
  attributes: Record<string, string>;
  /** '' when the message has none. */
  orderingKey: string;
  publishTime: Date;
  /** 1, 2, ... when the subscription has a dead-letter policy; 0 otherwise (the service reports it only then). */
  deliveryAttempt: number;
}

export interface PullUntilOptions {
  /** Acknowledge what was pulled (default true); false leaves the messages leased. */
  ack?: boolean;
}

/**
 * Pulls (synchronous pull, v1.SubscriberClient.pull) until `count` messages arrived, and fails with
 * what did arrive when `timeoutMs` passes first. Never returns more than `count`.
 */
export async function pullUntil(
  subscription: Subscription,
  count: number,
  timeoutMs: number,
  options: PullUntilOptions = {},
): Promise<PulledMessage[]> {
  const client = await subscriberClientFor(subscription);
  const deadline = Date.now() + timeoutMs;
  const pulled: PulledMessage[] = [];
  try {
    while (pulled.length < count) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        throw new Error(
          `pulled ${pulled.length} of ${count} messages from ${subscription.name} within ${timeoutMs} ms: ` +
            JSON.stringify(pulled.map((message) => message.text)),
        );
      }
      const batch = await pullOnce(
        client,
        subscription.name,
        count - pulled.length,
        remainingMs,
      ).catch(emptyWhenRetryable);
      if (options.ack !== false && batch.length > 0) {
        await client.acknowledge({
          subscription: subscription.name,
          ackIds: batch.map((message) => message.ackId),
        });
      }
      pulled.push(...batch);
    }
    return pulled;
  } finally {
    await client.close();
  }
}

/**
 * One synchronous pull: waits up to `waitMs` for at least one message (both targets answer an
 * empty list shortly before the call's deadline).
 */
export async function pullOnce(
  client: v1.SubscriberClient,
  subscription: string,
  maxMessages: number,
  waitMs: number,
): Promise<PulledMessage[]> {
  const [response] = await client.pull(
    { subscription, maxMessages },
    { timeout: waitMs, retry: null },
  );
  return (response.receivedMessages ?? []).map(toPulledMessage);
}

/** What is deliverable right now (returnImmediately pull), without waiting. */
export async function pullAvailableNow(
  client: v1.SubscriberClient,
  subscription: string,
  maxMessages: number,
): Promise<PulledMessage[]> {
  const [response] = await client.pull({ subscription, maxMessages, returnImmediately: true });
  return (response.receivedMessages ?? []).map(toPulledMessage);
}

/** A raw subscriber client on the same target as `pubsub` (close it when done). */
export async function subscriberClient(pubsub: PubSub): Promise<v1.SubscriberClient> {
  const config = await pubsub.getClientConfig();
  // ClientConfig is the documented input of the v1 clients; its optional fields only differ from
  // ClientOptions under exactOptionalPropertyTypes.
  return new v1.SubscriberClient(config as ConstructorParameters<typeof v1.SubscriberClient>[0]);
}

export async function acknowledge(
  client: v1.SubscriberClient,
  subscription: string,
  ackIds: string[],
): Promise<void> {
  await client.acknowledge({ subscription, ackIds });
}

/** Sets the ack deadline of leased messages; 0 is a nack (redeliver now). */
export async function modifyAckDeadline(
  client: v1.SubscriberClient,
  subscription: string,
  ackIds: string[],
  ackDeadlineSeconds: number,
): Promise<void> {
  await client.modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds });
}

const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;
const RETRY_PAUSE_MS = 50;

/** A pull that ran out of time or met a restarting server is retried until the overall deadline. */
async function emptyWhenRetryable(error: unknown): Promise<PulledMessage[]> {
  const code = (error as { code?: unknown }).code;
  if (code !== DEADLINE_EXCEEDED && code !== UNAVAILABLE) throw error;
  await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  return [];
}

function subscriberClientFor(subscription: Subscription): Promise<v1.SubscriberClient> {
  return subscriberClient(subscription.pubsub);
}

type ReceivedMessage = protos.google.pubsub.v1.IReceivedMessage;

function toPulledMessage(received: ReceivedMessage): PulledMessage {
  const message = received.message ?? {};
  const raw = message.data ?? '';
  const data = typeof raw === 'string' ? Buffer.from(raw, 'base64') : Buffer.from(raw);
  const seconds = Number(message.publishTime?.seconds ?? 0);
  const nanos = message.publishTime?.nanos ?? 0;
  return {
    ackId: received.ackId ?? '',
    messageId: message.messageId ?? '',
    data,
    text: data.toString('utf8'),
    attributes: { ...(message.attributes ?? {}) },
    orderingKey: message.orderingKey ?? '',
    publishTime: new Date(seconds * 1000 + Math.floor(nanos / 1e6)),
    deliveryAttempt: received.deliveryAttempt ?? 0,
  };
}
