/**
 * Opaque place of an event in the whole log, owned by the store adapter.
 * Callers may only compare two positions of the same store with `<`/`>` (fixed-width strings) and pass them back.
 */
export type Position = string;

export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  messageId?: string;
  source?: string;
  [key: string]: unknown;
}

/** An event as a caller hands it to `append` (`TType` narrows it to one type of a union). */
export interface NewEvent<TData = unknown, TType extends string = string> {
  type: TType;
  data: TData;
  metadata?: EventMetadata;
  /** Optional caller-chosen id; a random UUID otherwise. */
  eventId?: string;
}

/** An event as stored and read back (`TType` narrows it to one type of a union). */
export interface RecordedEvent<TData = unknown, TType extends string = string> {
  eventId: string;
  streamId: string;
  /** 1-based version within its stream. */
  streamVersion: number;
  position: Position;
  type: TType;
  data: TData;
  metadata: EventMetadata;
  recordedAt: string;
}
