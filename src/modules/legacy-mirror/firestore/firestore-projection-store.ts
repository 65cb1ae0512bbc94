import type { DocumentSnapshot, Firestore, Transaction } from '@google-cloud/firestore';
import { Logger } from '@nestjs/common';
import type { AlertPort } from '../../../common/alerts/alert.port.js';
import {
  CheckpointConflictError,
  type EventLog,
  type Position,
  type ProjectionStore,
  type ReadModelDocument,
  type ReadModelTransaction,
} from '../../../common/event-store/index.js';
import { errorMessage } from '../../../common/errors/error-message.js';
import { withDeadline } from '../../../common/gcp/deadline.js';
import { DiscoveringTransaction } from './discovering-transaction.js';
import { FIRESTORE_MAX_WRITES_PER_COMMIT } from './document-tree-delete.js';
import { deleteIndexedDocuments, ResetProgress } from './indexed-documents-reset.js';
import { foreignLogError, LogIdentity } from './log-identity.js';

/** A step reads the states, then the documents they name, then per-player documents. */
const MAX_READ_PASSES = 6;

export interface FirestoreProjectionStoreOptions {
  /** Collection of the checkpoint documents, one per projection name. */
  checkpoints: string;
  /** One document read or write (TIMEOUT_FIRESTORE_READ_WRITE_MS). */
  readWriteMs: number;
  /** One commit with its retries (TIMEOUT_FIRESTORE_TRANSACTION_MS). */
  transactionMs: number;
}

interface StoredCheckpoint {
  position: Position | null;
  /** Set while a reset deletes the documents, so a reset cut short is never built upon. */
  resetting: boolean;
  /** The log it is a position in (LogIdentity); null before the first commit after a reset. */
  log_id: string | null;
}

/**
 * A projection store in Firestore, for a read model that lives there: each step's documents are
 * committed with the projection's checkpoint in one Firestore transaction (compare-and-set on the
 * checkpoint), so the documents and the progress never drift, whichever process crashes when. A
 * step reads its documents in a few round trips (DiscoveringTransaction), raises the alerts it
 * deferred, then writes at most FIRESTORE_MAX_WRITES_PER_COMMIT documents.
 *
 * A reset deletes what the projection's `collections` index (deleteIndexedDocuments): what the
 * projection wrote, and nothing else of collections it shares with the platform.
 *
 * `close()` (application shutdown, before the client is terminated) refuses new work and waits
 * for a reset in progress to stop between two pages.
 */
export class FirestoreProjectionStore implements ProjectionStore {
  private readonly logger = new Logger(FirestoreProjectionStore.name);
  private closed = false;
  private resetting: Promise<void> | null = null;

  private readonly log: LogIdentity;

  constructor(
    private readonly db: Firestore,
    events: EventLog,
    private readonly alerts: AlertPort,
    private readonly options: FirestoreProjectionStoreOptions,
  ) {
    this.log = new LogIdentity(events);
  }

  async checkpoint(name: string): Promise<Position | null> {
    const snapshot = await withDeadline(
      this.checkpointRef(name).get(),
      this.options.readWriteMs,
      `reading the Firestore checkpoint of projection ${name}`,
    );
    return storedCheckpoint(snapshot).position;
  }

  async commit(
    name: string,
    expected: Position | null,
    next: Position,
    apply: (tx: ReadModelTransaction) => Promise<void>,
  ): Promise<void> {
    this.assertOpen(`commit projection ${name} through ${next}`);
    const ref = this.checkpointRef(name);
    const logId = await this.log.current();
    const committed = this.db.runTransaction(async (transaction) => {
      const stored = storedCheckpoint(await transaction.get(ref));
      if (stored.log_id !== null && logId !== null && stored.log_id !== logId) {
        throw foreignLogError(name, stored.log_id, logId);
      }
      if (stored.resetting) {
        throw new Error(
          `projection ${name}: a reset of its Firestore documents did not finish; ` +
            `rebuild it (POST /v1/projections/${name}/rebuild) before it runs again`,
        );
      }
      if (stored.position !== expected) {
        throw new CheckpointConflictError(name, expected, stored.position);
      }
      const step = await this.discover(transaction, apply, name);
      if (step.writes.size + 1 > FIRESTORE_MAX_WRITES_PER_COMMIT) {
        throw new Error(
          `projection ${name}: a step through ${next} writes ${step.writes.size} documents and its ` +
            `checkpoint, over Firestore's ${FIRESTORE_MAX_WRITES_PER_COMMIT} writes per commit; ` +
            'register it with a smaller batchSize',
        );
      }
      // Before the commit: a crash after it cannot lose them, and a repeat raises nothing new.
      for (const alert of step.alerts) await this.alerts.raise(alert);
      for (const [path, doc] of step.writes) {
        if (doc === null) transaction.delete(this.db.doc(path));
        else transaction.set(this.db.doc(path), doc);
      }
      transaction.set(ref, {
        position: next,
        resetting: false,
        log_id: logId ?? stored.log_id,
      } satisfies StoredCheckpoint);
    });
    return withDeadline(
      committed,
      this.options.transactionMs,
      `the Firestore commit of projection ${name} through ${next}`,
    );
  }

  /** The checkpoint as `transaction` reads it (with the documents, for a consistent snapshot). */
  async checkpointWithin(transaction: Transaction, name: string): Promise<Position | null> {
    return storedCheckpoint(await transaction.get(this.checkpointRef(name))).position;
  }

  async reset(name: string, collections: readonly string[]): Promise<void> {
    this.assertOpen(`reset projection ${name}`);
    const reset = this.resetDocuments(name, collections);
    this.resetting = reset;
    try {
      await reset;
    } finally {
      if (this.resetting === reset) this.resetting = null;
    }
  }

  /**
   * Refuses new commits and resets, and waits (at most `waitMs`) for a reset in progress to stop
   * between two pages; its checkpoint stays marked, so the next rebuild finishes it.
   */
  async close(waitMs: number): Promise<void> {
    this.closed = true;
    const reset = this.resetting;
    if (!reset) return;
    await withDeadline(
      reset.then(
        () => undefined,
        () => undefined, // its failure is the rebuild's to report (ProjectionRunner logs it)
      ),
      waitMs,
      'a reset of the legacy mirror stopping for shutdown',
    ).catch((error: unknown) =>
      this.logger.warn(`${errorMessage(error)}; the client is terminated under it`),
    );
  }

  private async resetDocuments(name: string, collections: readonly string[]): Promise<void> {
    const ref = this.checkpointRef(name);
    await this.within(
      ref.set({ position: null, resetting: true, log_id: null } satisfies StoredCheckpoint),
      `marking projection ${name} as resetting`,
    );
    const progress = new ResetProgress(name, this.logger);
    for (const collection of collections) {
      await deleteIndexedDocuments(this.db, collection, progress, {
        readWriteMs: this.options.readWriteMs,
        commitMs: this.options.transactionMs,
        assertOpen: (what) => this.assertOpen(`reset projection ${name} (${what})`),
      });
    }
    await this.within(
      ref.set({ position: null, resetting: false, log_id: null } satisfies StoredCheckpoint),
      `clearing the checkpoint of projection ${name}`,
    );
    progress.done();
  }

  private async discover(
    transaction: Transaction,
    apply: (tx: ReadModelTransaction) => Promise<void>,
    name: string,
  ): Promise<DiscoveringTransaction> {
    const known = new Map<string, ReadModelDocument | null>();
    for (let pass = 1; pass <= MAX_READ_PASSES; pass++) {
      const step = new DiscoveringTransaction(known);
      await apply(step);
      if (step.missing.size === 0) return step;
      const paths = [...step.missing];
      const snapshots = await transaction.getAll(...paths.map((path) => this.db.doc(path)));
      snapshots.forEach((snapshot, index) => {
        known.set(paths[index]!, snapshot.exists ? deepFreeze(snapshot.data()!) : null);
      });
    }
    throw new Error(
      `projection ${name}: a step kept asking for documents it had not read after ${MAX_READ_PASSES} ` +
        'read passes; its apply must read a bounded chain of documents',
    );
  }

  private assertOpen(what: string): void {
    if (this.closed) {
      throw new Error(
        `cannot ${what}: the service is shutting down; a reset cut short is finished by the next ` +
          'rebuild (POST /v1/projections/legacy-mirror/rebuild)',
      );
    }
  }

  private within<T>(work: Promise<T>, what: string): Promise<T> {
    return withDeadline(work, this.options.readWriteMs, what);
  }

  private checkpointRef(name: string) {
    return this.db.collection(this.options.checkpoints).doc(name);
  }
}

function storedCheckpoint(snapshot: DocumentSnapshot): StoredCheckpoint {
  if (!snapshot.exists) return { position: null, resetting: false, log_id: null };
  const position: unknown = snapshot.get('position');
  const logId: unknown = snapshot.get('log_id');
  return {
    position: typeof position === 'string' ? position : null,
    resetting: snapshot.get('resetting') === true,
    // A checkpoint written before log ids were recorded names none: taken as this log's.
    log_id: typeof logId === 'string' ? logId : null,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
