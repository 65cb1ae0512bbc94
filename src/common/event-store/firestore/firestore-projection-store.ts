import type { DocumentReference, DocumentSnapshot, Transaction } from '@google-cloud/firestore';
import type { Clock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import { CheckpointConflictError } from '../event-store.errors.js';
import type { ProjectionStore, ReadModelTransaction } from '../event-store.port.js';
import {
  CommitTooLargeError,
  MAX_COMMIT_BYTES,
  MAX_WRITES_PER_COMMIT,
} from './firestore-commit-limits.js';
import { documentIdOf } from './firestore-document-id.js';
import { firestoreCall } from './firestore-errors.js';
import type { FirestoreLayout } from './firestore-layout.js';
import { FirestoreReadModelTransaction, readModelCollection } from './firestore-read-models.js';

/** Documents deleted per batch by a reset (Firestore commits at most 500 writes). */
const RESET_PAGE = MAX_WRITES_PER_COMMIT;

/**
 * Checkpoints (`checkpoints/<name>`: `{ name, position, updatedAt }`) and the read models they
 * cover. A commit is one Firestore transaction: the checkpoint read (compare-and-set), the
 * handler's reads, then its buffered writes and the new checkpoint.
 *
 * One commit holds at most 500 writes (the checkpoint and one per changed document) and 10 MiB.
 * A batch needing more throws CommitTooLargeError before anything is written; the same batch
 * fails the same way when retried, so the projection must run smaller batches. A commit that
 * loses to a concurrent transaction is run again by the client (the handler with it: handlers
 * only write through the transaction, so running one twice is harmless).
 */
export class FirestoreProjectionStore implements ProjectionStore {
  constructor(
    private readonly layout: FirestoreLayout,
    private readonly clock: Clock,
  ) {}

  async checkpoint(name: string): Promise<Position | null> {
    const snapshot = await firestoreCall(`read checkpoint of ${name}`, () =>
      this.checkpointRef(name).get(),
    );
    return storedPosition(snapshot);
  }

  commit(
    name: string,
    expected: Position | null,
    next: Position,
    apply: (tx: ReadModelTransaction) => Promise<void>,
  ): Promise<void> {
    return firestoreCall(`commit projection ${name}`, () =>
      this.layout.transaction(async (tx) => {
        const moveCheckpoint = await this.prepareCheckpointMove(tx, name, expected, next);
        const models = new FirestoreReadModelTransaction(this.layout, tx);
        await apply(models);
        const writes = models.writeCount + 1;
        const bytes = models.writeBytes;
        if (writes > MAX_WRITES_PER_COMMIT || bytes > MAX_COMMIT_BYTES) {
          throw new CommitTooLargeError(
            `projection ${name} (batch up to ${next})`,
            writes,
            bytes,
            'run it with smaller batches, so that one batch changes fewer read-model documents',
          );
        }
        models.flush();
        moveCheckpoint(tx);
      }),
    );
  }

  /**
   * Reads the checkpoint in `tx` (the outbox shares it) and returns the write that moves it to
   * `next`, to run after the transaction's other reads. Throws CheckpointConflictError when the
   * stored checkpoint is not `expected`.
   */
  async prepareCheckpointMove(
    tx: Transaction,
    name: string,
    expected: Position | null,
    next: Position,
  ): Promise<(tx: Transaction) => void> {
    const ref = this.checkpointRef(name);
    const snapshot = await tx.get(ref);
    const unfinished = unfinishedReset(snapshot);
    if (unfinished !== null) {
      throw new Error(
        `projection ${name} has an unfinished reset (collections ${unfinished.join(', ') || 'none'}): ` +
          'its read models are partly deleted; reset (rebuild) the projection again to finish it',
      );
    }
    const actual = storedPosition(snapshot);
    if (actual !== expected) throw new CheckpointConflictError(name, expected, actual);
    const updatedAt = this.clock.now().toISOString();
    return (writer) => writer.set(ref, { name, position: next, updatedAt });
  }

  /**
   * Deletes the collections and the checkpoint. Firestore cannot delete more than 500 documents in
   * one transaction, so this marks the checkpoint "resetting" first, deletes in batches, then drops
   * the checkpoint. Until then no commit of the projection is taken (a crash midway leaves it
   * refusing, with a message saying to reset again), so it never builds on half-deleted models.
   */
  async reset(name: string, collections: readonly string[]): Promise<void> {
    const ref = this.checkpointRef(name);
    await firestoreCall(`reset projection ${name}`, async () => {
      await ref.set({
        name,
        position: null,
        resetting: [...collections],
        updatedAt: this.clock.now().toISOString(),
      });
      for (const collection of collections) await this.deleteAll(collection);
      await ref.delete();
    });
  }

  private async deleteAll(collection: string): Promise<void> {
    const docs = readModelCollection(this.layout, collection);
    for (;;) {
      const page = await docs.select().limit(RESET_PAGE).get();
      if (page.empty) return;
      const batch = this.layout.db.batch();
      for (const doc of page.docs) batch.delete(doc.ref);
      await batch.commit();
    }
  }

  private checkpointRef(name: string): DocumentReference {
    return this.layout
      .collection('checkpoints')
      .doc(documentIdOf(name, `checkpoint name ${JSON.stringify(name)}`));
  }
}

function storedPosition(snapshot: DocumentSnapshot): Position | null {
  const position: unknown = snapshot.get('position');
  return typeof position === 'string' ? position : null;
}

function unfinishedReset(snapshot: DocumentSnapshot): string[] | null {
  const resetting: unknown = snapshot.get('resetting');
  return Array.isArray(resetting) ? (resetting as string[]) : null;
}
