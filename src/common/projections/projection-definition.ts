import type {
  EventOfType,
  ReadModelTransaction,
  Recorded,
  TypedEvent,
} from '../event-store/index.js';

interface ProjectionBody<E extends TypedEvent> {
  name: string;
  /** Read-model collections it owns (deleted on rebuild). */
  collections: readonly string[];
  apply(event: Recorded<E>, tx: ReadModelTransaction): Promise<void>;
}

/**
 * The event types a follower handles: required when it handles some types of a union (the runner
 * hands it only those), optional (all types when omitted) when it reads every event untyped.
 */
type ListedTypes<E extends TypedEvent> = string extends E['type']
  ? { eventTypes?: readonly string[] }
  : { eventTypes: readonly E['type'][] };

/** A named read model built from chosen event types (events of union `E`). */
export type ProjectionDefinition<E extends TypedEvent = TypedEvent> = ProjectionBody<E> &
  ListedTypes<E>;

/**
 * A projection over some types of union `Union`: `eventTypes` lists them, and `apply` takes
 * exactly the events it names (`switch (event.type)` narrows `event.data`; a case for a type
 * left out of the list does not compile).
 * `defineProjection<BatchEvent>()({ name, eventTypes: [BATCH_EVENTS.created], collections, apply })`.
 */
export function defineProjection<Union extends TypedEvent>() {
  return <const Types extends readonly Union['type'][]>(
    definition: ProjectionBody<EventOfType<Union, Types[number]>> & { eventTypes: Types },
  ): ProjectionDefinition<EventOfType<Union, Types[number]>> => definition;
}
