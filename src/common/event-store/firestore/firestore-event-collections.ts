import type { CollectionReference, DocumentReference } from '@google-cloud/firestore';
import { documentIdOf } from './firestore-document-id.js';
import type { FirestoreLayout } from './firestore-layout.js';

/** The event log's documents: events, stream versions, idempotency keys, and the sequence counter. */
export class EventLogCollections {
  readonly events: CollectionReference;
  readonly streams: CollectionReference;
  readonly keys: CollectionReference;
  /** `{ last }`: the highest position handed out (0 or absent before the first). */
  readonly counter: DocumentReference;

  constructor(readonly layout: FirestoreLayout) {
    this.events = layout.collection('events');
    this.streams = layout.collection('streams');
    this.keys = layout.collection('idempotency_keys');
    this.counter = layout.collection('sequence').doc('log');
  }

  event(eventId: string): DocumentReference {
    return this.events.doc(documentIdOf(eventId, `event id ${JSON.stringify(eventId)}`));
  }

  stream(streamId: string): DocumentReference {
    return this.streams.doc(documentIdOf(streamId, `stream id ${JSON.stringify(streamId)}`));
  }

  key(key: string): DocumentReference {
    return this.keys.doc(documentIdOf(key, `idempotency key ${JSON.stringify(key)}`));
  }
}
