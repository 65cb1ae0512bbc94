import type { Firestore } from '@google-cloud/firestore';
import type { Clock } from '../../clock/clock.js';
import type { Storage, StoreCondition } from '../event-store.port.js';
import { firestoreCall } from './firestore-errors.js';
import { FirestoreEventLog, type FirestoreEventLogOptions } from './firestore-event-log.js';
import { FirestoreLayout } from './firestore-layout.js';
import { FirestoreLeaseStore } from './firestore-lease-store.js';
import { FirestoreOutboxStore } from './firestore-outbox-store.js';
import { FirestoreProjectionStore } from './firestore-projection-store.js';
import { FirestoreQuarantineBodies } from './firestore-quarantine-bodies.js';
import { FirestoreReadModels } from './firestore-read-models.js';
import { FirestoreTimerStore } from './firestore-timer-store.js';

export interface FirestoreStorageOptions extends FirestoreEventLogOptions {
  /** FIRESTORE_COLLECTION_PREFIX: every collection is `<prefix><name>`. */
  collectionPrefix: string;
}

/**
 * The serverless shared store: one Firestore database (collections named with a prefix) holds the
 * log and everything built from it, for any number of instances. The store owns `db` and
 * terminates it on close. `FirestoreStorage.open` also numbers events a previous process left
 * pending, which proves the database answers.
 */
export class FirestoreStorage implements Storage {
  readonly kind = 'firestore';
  readonly layout: FirestoreLayout;
  readonly events: FirestoreEventLog;
  readonly projections: FirestoreProjectionStore;
  readonly readModels: FirestoreReadModels;
  readonly timers: FirestoreTimerStore;
  readonly outbox: FirestoreOutboxStore;
  readonly leases: FirestoreLeaseStore;
  readonly quarantineBodies: FirestoreQuarantineBodies;

  constructor(db: Firestore, options: FirestoreStorageOptions, clock: Clock) {
    this.layout = new FirestoreLayout(db, options.collectionPrefix);
    this.events = new FirestoreEventLog(this.layout, clock, options);
    this.projections = new FirestoreProjectionStore(this.layout, clock);
    this.readModels = new FirestoreReadModels(this.layout);
    this.timers = new FirestoreTimerStore(this.layout, this.events, clock);
    this.outbox = new FirestoreOutboxStore(this.layout, this.projections, clock);
    this.leases = new FirestoreLeaseStore(this.layout);
    this.quarantineBodies = new FirestoreQuarantineBodies(this.layout);
  }

  /** Opens the store on `db`; terminates `db` again if the first pass fails. */
  static async open(
    db: Firestore,
    options: FirestoreStorageOptions,
    clock: Clock,
  ): Promise<FirestoreStorage> {
    const storage = new FirestoreStorage(db, options, clock);
    try {
      await storage.events.sequencePending();
    } catch (error) {
      await storage.close();
      throw error;
    }
    return storage;
  }

  async ping(): Promise<void> {
    await firestoreCall('ping', () => this.events.collections.counter.get());
  }

  /** Firestore has no local disk to fill nor long transactions holding readers back. */
  async condition(): Promise<StoreCondition> {
    return { writeFailure: null, oldestTransactionAgeMs: null };
  }

  async close(): Promise<void> {
    await this.events.idle();
    await this.layout.db.terminate();
  }
}
