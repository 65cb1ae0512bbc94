import type { EventOfType, OutboundMessage, Recorded, TypedEvent } from '../event-store/index.js';

/** Maps events of some types (of union `E`) to messages on one topic. */
export interface OutboxRoute<E extends TypedEvent = TypedEvent> {
  topic: string;
  eventTypes: readonly E['type'][];
  /** The message for an event, or null when this event sends nothing. */
  toMessage(event: Recorded<E>): Pick<OutboundMessage, 'attributes' | 'body'> | null;
}

/**
 * A route for some types of union `Union`: `eventTypes` lists them, and `toMessage` takes exactly
 * the events it names. `defineOutboxRoute<BatchEvent>()({ topic, eventTypes: [...], toMessage })`.
 */
export function defineOutboxRoute<Union extends TypedEvent>() {
  return <const Types extends readonly Union['type'][]>(
    route: OutboxRoute<EventOfType<Union, Types[number]>> & { eventTypes: Types },
  ): OutboxRoute<EventOfType<Union, Types[number]>> => route;
}

/** Stable across redeliveries and restarts: the same event always yields the same message id. */
export function outboxMessageId(topic: string, eventId: string): string {
  return `${topic}:${eventId}`;
}
