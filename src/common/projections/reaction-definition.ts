import type { EventOfType, Recorded, TypedEvent } from '../event-store/index.js';

/**
 * A side effect taken for events of some types (replay parked messages, complete a batch), the
 * events of union `E`. Delivered at least once, in log order: `handle` must be idempotent (use
 * idempotency keys).
 */
export interface ReactionDefinition<E extends TypedEvent = TypedEvent> {
  name: string;
  eventTypes: readonly E['type'][];
  handle(event: Recorded<E>): Promise<void>;
  /**
   * For reactions that decide from current state rather than from the event: events of one page
   * that share a key are handled once, with the last of them (null: always handled).
   */
  coalesceKey?(event: Recorded<E>): string | null;
}

/**
 * A reaction to some types of union `Union`: `eventTypes` lists them, and `handle` takes exactly
 * the events it names. `defineReaction<BatchEvent>()({ name, eventTypes: [...], handle })`.
 */
export function defineReaction<Union extends TypedEvent>() {
  return <const Types extends readonly Union['type'][]>(
    definition: ReactionDefinition<EventOfType<Union, Types[number]>> & { eventTypes: Types },
  ): ReactionDefinition<EventOfType<Union, Types[number]>> => definition;
}
