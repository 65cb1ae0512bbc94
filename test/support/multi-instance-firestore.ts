import { ManualClock } from '../../src/common/clock/clock.js';
import { FirestoreStorage } from '../../src/common/event-store/firestore/firestore-storage.js';
import type { FirestoreTarget } from './firestore/index.js';
import {
  countByFields,
  type PublishedRow,
  type StoreInspector,
} from './multi-instance-inspector.js';
import type { ReadModelSnapshot } from './multi-instance-read-models.js';

const PAGE = 500;

/**
 * Reads a Firestore store the services share, through the store's own reads (the log in position
 * order, timers, embedded messages) and, for read models and checkpoints, its documents
 * directly. The store is constructed, not opened: the inspector never numbers pending events.
 */
export class FirestoreInspector implements StoreInspector {
  private readonly storage: FirestoreStorage;

  constructor(target: FirestoreTarget, projectId: string, collectionPrefix: string) {
    this.storage = new FirestoreStorage(
      target.client(projectId),
      { collectionPrefix, idempotencyTtlDays: () => 7 },
      new ManualClock(),
    );
  }

  async countBy(type: string, ...fields: string[]): Promise<Map<string, number>> {
    return countByFields(await this.eventData(type), fields);
  }

  async eventData(type: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    for await (const event of this.storage.events.readAll({ types: [type] })) {
      rows.push(event.data as Record<string, unknown>);
    }
    return rows;
  }

  async timerStates(timerIds: readonly string[]): Promise<Map<string, string>> {
    const states = new Map<string, string>();
    for (const id of timerIds) {
      const timer = await this.storage.timers.get(id);
      if (timer) states.set(id, timer.state);
    }
    return states;
  }

  async overdueTimers(nowMs: number): Promise<string[]> {
    return (await this.storage.timers.due(nowMs, PAGE)).map((timer) => timer.timerId);
  }

  async published(): Promise<PublishedRow[]> {
    const rows: PublishedRow[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.outbox.embeddedMessages({
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      for (const message of page) {
        rows.push({
          messageId: message.messageId,
          topic: message.topic,
          body: message.body,
          publishedAt: new Date(message.publishedAt),
        });
      }
      if (page.length < PAGE) return rows;
      after = page.at(-1)!.cursor;
    }
  }

  /** Every `read_models/<collection>/docs/<key>` document (`{ key, doc }`, doc as JSON text). */
  async readModels(): Promise<ReadModelSnapshot> {
    const snapshot: ReadModelSnapshot = new Map();
    const collections = await this.storage.layout.collection('read_models').listDocuments();
    for (const collection of collections) {
      if (collection.id.includes('%')) {
        throw new Error(`read-model collection id ${collection.id} is escaped: decode it here`);
      }
      const docs = await collection.collection('docs').get();
      for (const doc of docs.docs) {
        const { key, doc: json } = doc.data() as { key: string; doc: string };
        snapshot.set(`${collection.id}/${key}`, JSON.parse(json));
      }
    }
    return new Map([...snapshot].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Each checkpoint document's update time: Firestore sets it on every write. */
  async checkpointWrites(): Promise<Map<string, string>> {
    const checkpoints = await this.storage.layout.collection('checkpoints').get();
    return new Map(
      checkpoints.docs.map((doc) => [
        String(doc.get('name') ?? doc.id),
        doc.updateTime.toDate().toISOString() + doc.updateTime.nanoseconds,
      ]),
    );
  }

  close(): Promise<void> {
    return this.storage.layout.db.terminate();
  }
}
