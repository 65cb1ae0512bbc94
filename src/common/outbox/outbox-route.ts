import type { OutboundMessage, RecordedEvent } from '../event-store/index.js';

/** Maps events of some types to messages on one topic. */
export interface OutboxRoute {
  topic: string;
  eventTypes: readonly string[];
  /** The message for an event, or null when this event sends nothing. */
  toMessage(event: RecordedEvent): Pick<OutboundMessage, 'attributes' | 'body'> | null;
}

/** Stable across redeliveries and restarts: the same event always yields the same message id. */
export function outboxMessageId(topic: string, eventId: string): string {
  return `${topic}:${eventId}`;
}
