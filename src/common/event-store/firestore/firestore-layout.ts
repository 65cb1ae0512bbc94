import type {
  CollectionReference,
  Firestore,
  ReadWriteTransactionOptions,
  Transaction,
} from '@google-cloud/firestore';
import { isClosedTransaction } from './firestore-errors.js';

/** Runs of a transaction that Firestore closed under it, before its error is passed on. */
const CLOSED_TRANSACTION_ATTEMPTS = 5;

/**
 * Where a Firestore store keeps its documents: every top-level collection is named
 * `<prefix><name>` (FIRESTORE_COLLECTION_PREFIX), so that one database can hold Shotclock's store
 * beside the platform's own collections, and tests can isolate stores on one emulator.
 */
export class FirestoreLayout {
  constructor(
    readonly db: Firestore,
    readonly prefix: string,
  ) {}

  collection(name: string): CollectionReference {
    return this.db.collection(`${this.prefix}${name}`);
  }

  /**
   * `db.runTransaction`, run again when Firestore closed the transaction under it (it expired,
   * or the emulator ended it on a lock timeout while a concurrent one held its documents): the
   * client retries contention (ABORTED) but not this, and nothing was committed, so the whole
   * transaction can run again like any retried one.
   */
  async transaction<T>(
    work: (tx: Transaction) => Promise<T>,
    options?: ReadWriteTransactionOptions,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.runTransaction(work, options);
      } catch (error) {
        if (attempt >= CLOSED_TRANSACTION_ATTEMPTS || !isClosedTransaction(error)) throw error;
      }
    }
  }
}
