import type { OutboundMessage } from '../../event-store/index.js';
import type { MessageSource } from '../publisher.port.js';

/** Attributes Shotclock sets on every message it publishes; a route's own attributes come beside them. */
export const PUBSUB_ATTRIBUTES = {
  /** The outbox message id (`<topic>:<eventId>`): the same on every redelivery, for consumers' dedup. */
  messageId: 'shotclock_message_id',
  eventType: 'event_type',
  correlationId: 'correlation_id',
} as const;

/** A message as `Topic.publishMessage` takes it. */
export interface PubSubOutgoing {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
}

/**
 * The Pub/Sub form of an outbox message: data is the route's body as JSON, exactly what the
 * embedded publisher keeps; attributes are the route's plus `shotclock_message_id` and
 * `event_type` (ours win a clash), and `correlation_id` from the event's metadata unless the route
 * set its own (the one its body carries). With ordering, the ordering key is the event's stream.
 */
export function toPubSubMessage(
  message: OutboundMessage,
  source: MessageSource,
  ordering: boolean,
): PubSubOutgoing {
  return {
    data: Buffer.from(JSON.stringify(message.body ?? null), 'utf8'),
    attributes: {
      ...(source.correlationId ? { [PUBSUB_ATTRIBUTES.correlationId]: source.correlationId } : {}),
      ...message.attributes,
      [PUBSUB_ATTRIBUTES.eventType]: source.eventType,
      [PUBSUB_ATTRIBUTES.messageId]: message.messageId,
    },
    ...(ordering ? { orderingKey: source.streamId } : {}),
  };
}
