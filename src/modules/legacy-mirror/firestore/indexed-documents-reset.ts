import type { Firestore } from '@google-cloud/firestore';
import type { Logger } from '@nestjs/common';
import { withDeadline } from '../../../common/gcp/deadline.js';
import { deleteDocumentTree } from './document-tree-delete.js';

/** Index documents read at a time. */
const INDEX_PAGE_SIZE = 100;
/** A reset logs its progress every this many deleted documents. */
const PROGRESS_EVERY = 10_000;

export interface IndexedResetOptions {
  /** One read or single-document write (TIMEOUT_FIRESTORE_READ_WRITE_MS). */
  readWriteMs: number;
  /** One commit of a page of deletes (TIMEOUT_FIRESTORE_TRANSACTION_MS). */
  commitMs: number;
  /** Throws when the store is closing (checked between pages); `what` says where it stopped. */
  assertOpen(what: string): void;
}

/**
 * Deletes, for each document of `index` (a projection's own collection), the document its
 * `document_path` names with its subcollections' documents (deleteDocumentTree), then the index
 * document itself. Each tree is gone before its index entry, so a reset cut short leaves every
 * remaining document named by an entry the next reset still finds.
 */
export async function deleteIndexedDocuments(
  db: Firestore,
  index: string,
  progress: ResetProgress,
  options: IndexedResetOptions,
): Promise<void> {
  for (;;) {
    options.assertOpen(`listing ${index}`);
    const page = await withDeadline(
      db.collection(index).limit(INDEX_PAGE_SIZE).get(),
      options.readWriteMs,
      `listing ${index} to reset it (${progress.deleted} documents deleted so far)`,
    );
    if (page.empty) return;
    for (const entry of page.docs) {
      const path: unknown = entry.get('document_path');
      if (typeof path === 'string') {
        const before = progress.deleted;
        const deleted = await deleteDocumentTree(db, path, {
          readWriteMs: options.readWriteMs,
          commitMs: options.commitMs,
          assertOpen: () => options.assertOpen(`at ${path}`),
          onProgress: (count) => progress.at(before + count),
        });
        progress.at(before + deleted);
      }
      await withDeadline(
        entry.ref.delete(),
        options.readWriteMs,
        `deleting ${entry.ref.path} (after the documents it names)`,
      );
      progress.at(progress.deleted + 1);
    }
  }
}

/** Counts a reset's deleted documents and logs every PROGRESS_EVERY of them, and the total. */
export class ResetProgress {
  deleted = 0;
  private logged = 0;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** `deleted` documents deleted so far. */
  at(deleted: number): void {
    this.deleted = deleted;
    if (this.deleted - this.logged < PROGRESS_EVERY) return;
    this.logged = this.deleted;
    this.logger.log(`reset of projection ${this.name}: ${this.deleted} documents deleted so far`);
  }

  done(): void {
    this.logger.log(`reset of projection ${this.name}: done, ${this.deleted} documents deleted`);
  }
}
