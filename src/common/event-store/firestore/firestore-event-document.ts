import type { QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { NewEvent, Position, RecordedEvent } from '../event-envelope.js';

/**
 * An event as the Firestore store keeps it (collection `events`, one document per event id).
 * Data and metadata are JSON text, as in SQLite: Firestore maps cannot hold every JSON value
 * (arrays of arrays) and would not keep key order.
 */
export interface EventDocument {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
  /** The event's position once the sequencer gave it one; null while it is pending. */
  gpos: Position | null;
  /** Its place among the writes of its commit: orders events that share a commit time. */
  commitIndex: number;
}

export function toEventDocument(
  event: NewEvent,
  place: { eventId: string; streamId: string; streamVersion: number; commitIndex: number },
  recordedAt: string,
): EventDocument {
  return {
    eventId: place.eventId,
    streamId: place.streamId,
    streamVersion: place.streamVersion,
    type: event.type,
    data: JSON.stringify(event.data ?? null),
    metadata: JSON.stringify(event.metadata ?? {}),
    recordedAt,
    gpos: null,
    commitIndex: place.commitIndex,
  };
}

/** A stored event as callers see it; `position` is given for a pending one the caller had sequenced. */
export function toRecordedEvent(
  snapshot: QueryDocumentSnapshot,
  position: Position = storedPosition(snapshot),
): RecordedEvent {
  const doc = snapshot.data() as EventDocument;
  return {
    eventId: doc.eventId,
    streamId: doc.streamId,
    streamVersion: doc.streamVersion,
    position,
    type: doc.type,
    data: JSON.parse(doc.data) as unknown,
    metadata: JSON.parse(doc.metadata) as RecordedEvent['metadata'],
    recordedAt: doc.recordedAt,
  };
}

function storedPosition(snapshot: QueryDocumentSnapshot): Position {
  const gpos = snapshot.get('gpos') as unknown;
  if (typeof gpos !== 'string') {
    throw new Error(
      `event document ${snapshot.ref.path} has no position yet: sequence it before reading it`,
    );
  }
  return gpos;
}
