import type { NewEvent, RecordedEvent } from './event-envelope.js';

/**
 * One type of event: its name and the shape of its data. A module declares its events as a
 * union of these (`type BatchEvent = TypedEvent<'BatchCreated', BatchCreated> | ...`), so a
 * `switch (event.type)` narrows `event.data` without a cast.
 */
export interface TypedEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** The member of union `E` named `T`. */
export type EventOfType<E extends TypedEvent, T extends E['type']> = Extract<E, { type: T }>;

/**
 * An event of union `E` as read back from the log: an `E` (a union too, so narrowing `type`
 * narrows `data`) in its envelope (id, stream, version, position, metadata, time).
 */
export type Recorded<E extends TypedEvent> = E & Omit<RecordedEvent, 'type' | 'data'>;

/**
 * The events of union `E` a follower lists (`typeof HANDLED` of `const HANDLED = [...] as const`,
 * passed as its `eventTypes`), as read back: what its handler takes.
 */
export type RecordedOf<E extends TypedEvent, Types extends readonly E['type'][]> = Recorded<
  EventOfType<E, Types[number]>
>;

/** An event of union `E` as a decider hands it to an append (a NewEvent, and an `E`). */
export type NewEventOf<E extends TypedEvent> = E & Pick<NewEvent, 'metadata' | 'eventId'>;

/**
 * Whether a module's name constants (`typeof X_EVENTS`) and its union name the same types.
 * `type _Check = Holds<SameEventTypes<XEvent, typeof X_EVENTS>>` stops compiling when either
 * gains a type the other lacks.
 */
export type SameEventTypes<E extends TypedEvent, Names extends Record<string, string>> = [
  E['type'],
] extends [Names[keyof Names]]
  ? [Names[keyof Names]] extends [E['type']]
    ? true
    : false
  : false;

/** Compiles only when `T` is `true` (a compile-time assertion). */
export type Holds<T extends true> = T;

/**
 * The one place where events read from the log (`data: unknown`) become events of a union: a
 * follower (projection, reaction, outbox route, export) lists the types it handles, the store
 * hands it only those (`ReadAllOptions.types`), and its handler takes the union its list names.
 * The function returned checks the store kept to the list and passes the event on typed, so no
 * handler casts. The data is trusted to have the shape its type names: only the module that owns
 * a type appends it. Without a list (a follower of every event), events pass as they are.
 */
export function narrowToListed<
  E extends TypedEvent = TypedEvent,
  Types extends readonly E['type'][] = readonly E['type'][],
>(follower: string, types: Types | undefined): (event: RecordedEvent) => RecordedOf<E, Types> {
  const listed = types === undefined ? null : new Set<string>(types);
  return (event) => {
    if (listed !== null && !listed.has(event.type)) {
      throw new Error(
        `${follower} handles only ${[...listed].join(', ')}, but the store handed it ${event.type} ` +
          `(event ${event.eventId} at ${event.position}): the store adapter ignored ReadAllOptions.types`,
      );
    }
    return event as RecordedOf<E, Types>;
  };
}
