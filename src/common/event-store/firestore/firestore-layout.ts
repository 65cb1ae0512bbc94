import type { CollectionReference, Firestore } from '@google-cloud/firestore';

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
}
