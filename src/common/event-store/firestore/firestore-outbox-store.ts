import type { DocumentReference, DocumentSnapshot } from '@google-cloud/firestore';
import type { Clock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import { InvalidPositionError } from '../event-store.errors.js';
import type {
  EmbeddedMessage,
  OutboundMessage,
  OutboxDelivery,
  OutboxStore,
} from '../event-store.port.js';
import { CONTENDED_TRANSACTION_ATTEMPTS, KeyedMutex } from './firestore-contention.js';
import { documentIdOf } from './firestore-document-id.js';
import { firestoreCall } from './firestore-errors.js';
import type { FirestoreLayout } from './firestore-layout.js';
import type { FirestoreProjectionStore } from './firestore-projection-store.js';

/** Embedded messages are numbered 1, 2, 3, ... and their cursors are the numbers in 16 digits. */
const CURSOR_DIGITS = 16;
const CURSOR = /^\d{16}$/;

interface StoredDelivery {
  messageId: string;
  topic: string;
  eventId: string;
  position: Position;
  attempts: number;
  deliveredAt: string | null;
  lastError: string | null;
  /** topicOrder(topic, position): lists one topic in position order with no composite index. */
  topicPosition: string;
}

interface StoredEmbedded {
  /** The cursor: this message's number, 16 digits. */
  seq: string;
  /** topicOrder(topic, seq). */
  topicSeq: string;
  messageId: string;
  topic: string;
  /** Attributes and body as JSON text, as the SQL stores keep them. */
  attributes: string;
  body: string;
  publishedAt: string;
}

/**
 * Outbox deliveries (`outbox_deliveries/<messageId>`) and the embedded publisher's messages
 * (`outbox_embedded/<seq>`, numbered by the counter document `outbox_embedded/counter`).
 *
 * Embedded cursors are gap-safe: a message takes its number in the transaction that writes it,
 * reading and advancing the counter, so two saves that overlap are serialised by Firestore (the
 * later one runs again after the earlier commits) and a number is visible only once every smaller
 * one is. Saves come from one dispatcher per topic, and are queued within a process.
 */
export class FirestoreOutboxStore implements OutboxStore {
  private readonly queue = new KeyedMutex();

  constructor(
    private readonly layout: FirestoreLayout,
    private readonly projections: FirestoreProjectionStore,
    private readonly clock: Clock,
  ) {}

  recordFailure(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    error: string,
  ): Promise<number> {
    const ref = this.deliveryRef(message.messageId);
    return firestoreCall(`record failed delivery of ${message.messageId}`, () =>
      this.layout.transaction(async (tx) => {
        const stored = storedDelivery(await tx.get(ref));
        const attempts = (stored?.attempts ?? 0) + 1;
        tx.set(ref, {
          ...(stored ?? newDelivery(message, eventId, position)),
          attempts,
          lastError: error,
        });
        return attempts;
      }),
    );
  }

  recordDelivery(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    checkpoint: { name: string; expected: Position | null },
  ): Promise<void> {
    const ref = this.deliveryRef(message.messageId);
    return firestoreCall(`record delivery of ${message.messageId}`, () =>
      this.layout.transaction(async (tx) => {
        const stored = storedDelivery(await tx.get(ref));
        const moveCheckpoint = await this.projections.prepareCheckpointMove(
          tx,
          checkpoint.name,
          checkpoint.expected,
          position,
        );
        tx.set(ref, {
          ...(stored ?? newDelivery(message, eventId, position)),
          attempts: (stored?.attempts ?? 0) + 1,
          deliveredAt: this.clock.now().toISOString(),
        });
        moveCheckpoint(tx);
      }),
    );
  }

  async deliveries(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<OutboxDelivery[]> {
    const after = options.after ?? '';
    const all = this.layout.collection('outbox_deliveries');
    const query =
      options.topic === undefined
        ? all.where('position', '>', after).orderBy('position')
        : all
            .where('topicPosition', '>', topicOrder(options.topic, after))
            .where('topicPosition', '<', topicOrder(options.topic, '\uffff'))
            .orderBy('topicPosition');
    const page = await firestoreCall('list outbox deliveries', () =>
      query.limit(options.limit).get(),
    );
    return page.docs.map((snapshot) => {
      const { topicPosition: _order, ...delivery } = snapshot.data() as StoredDelivery;
      return delivery;
    });
  }

  saveEmbedded(message: OutboundMessage): Promise<void> {
    const messages = this.layout.collection('outbox_embedded');
    const counter = messages.doc('counter');
    const save = () =>
      this.layout.transaction(
        async (tx) => {
          const last = ((await tx.get(counter)).get('last') as number | undefined) ?? 0;
          const seq = String(last + 1).padStart(CURSOR_DIGITS, '0');
          const stored: StoredEmbedded = {
            seq,
            topicSeq: topicOrder(message.topic, seq),
            messageId: message.messageId,
            topic: message.topic,
            attributes: JSON.stringify(message.attributes),
            body: JSON.stringify(message.body),
            publishedAt: this.clock.now().toISOString(),
          };
          tx.set(messages.doc(seq), stored);
          tx.set(counter, { last: last + 1 });
        },
        { maxAttempts: CONTENDED_TRANSACTION_ATTEMPTS },
      );
    return this.queue.run('counter', () =>
      firestoreCall(`publish ${message.messageId} to embedded ${message.topic}`, save),
    );
  }

  async embeddedMessages(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<EmbeddedMessage[]> {
    const after = options.after ?? '';
    if (after !== '' && !CURSOR.test(after)) throw new InvalidPositionError(after);
    const all = this.layout.collection('outbox_embedded');
    const query =
      options.topic === undefined
        ? all.where('seq', '>', after).orderBy('seq')
        : all
            .where('topicSeq', '>', topicOrder(options.topic, after))
            .where('topicSeq', '<', topicOrder(options.topic, '\uffff'))
            .orderBy('topicSeq');
    const page = await firestoreCall('list embedded messages', () =>
      query.limit(options.limit).get(),
    );
    return page.docs.map((snapshot) => {
      const stored = snapshot.data() as StoredEmbedded;
      return {
        messageId: stored.messageId,
        topic: stored.topic,
        attributes: JSON.parse(stored.attributes) as Record<string, string>,
        body: JSON.parse(stored.body) as unknown,
        publishedAt: stored.publishedAt,
        cursor: stored.seq,
      };
    });
  }

  private deliveryRef(messageId: string): DocumentReference {
    return this.layout
      .collection('outbox_deliveries')
      .doc(documentIdOf(messageId, `outbox message id ${JSON.stringify(messageId)}`));
  }
}

/**
 * One field that sorts by (topic, then `rest`): the topic as a JSON string literal, which no
 * other topic's literal starts with (it ends at its only unescaped quote), then `rest`. A range
 * on it lists one topic in `rest` order from a single-field index. Positions and cursors are
 * digits, so `topicOrder(topic, '\uffff')` bounds a topic from above.
 */
function topicOrder(topic: string, rest: string): string {
  return `${JSON.stringify(topic)}${rest}`;
}

function newDelivery(
  message: OutboundMessage,
  eventId: string,
  position: Position,
): StoredDelivery {
  return {
    messageId: message.messageId,
    topic: message.topic,
    eventId,
    position,
    attempts: 0,
    deliveredAt: null,
    lastError: null,
    topicPosition: topicOrder(message.topic, position),
  };
}

function storedDelivery(snapshot: DocumentSnapshot): StoredDelivery | null {
  return snapshot.exists ? (snapshot.data() as StoredDelivery) : null;
}
