import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import { withDeadline } from '../../../common/gcp/deadline.js';

/** Firestore's limit on the writes of one commit (the projection's batch size keeps under it). */
export const FIRESTORE_MAX_WRITES_PER_COMMIT = 500;

export interface TreeDeleteOptions {
  /** One read (a page of ids, the list of subcollections): TIMEOUT_FIRESTORE_READ_WRITE_MS. */
  readWriteMs: number;
  /** One commit of up to FIRESTORE_MAX_WRITES_PER_COMMIT deletes: TIMEOUT_FIRESTORE_TRANSACTION_MS. */
  commitMs: number;
  /** Called before each page, so a shutdown stops the delete between two commits. */
  assertOpen(): void;
  /** After each committed page: documents deleted so far under this document. */
  onProgress?(deleted: number): void;
}

/**
 * Deletes the document at `path` and the documents of its subcollections (the mirror writes none
 * deeper), a page of at most FIRESTORE_MAX_WRITES_PER_COMMIT ids read and deleted in one commit at
 * a time, the document last. Every step has its own deadline, so the whole takes time in
 * proportion to its size and is never cut off for being large; a delete cut short (deadline,
 * shutdown) leaves only documents the next attempt deletes. Returns the documents deleted.
 *
 * Not `recursiveDelete`: it goes through a BulkWriter whose rate limit starts at 500 deletes a
 * second, cannot be bounded per step, and fails inside a stream callback ("BulkWriter has already
 * been closed") when the client is terminated under it.
 */
export async function deleteDocumentTree(
  db: Firestore,
  path: string,
  options: TreeDeleteOptions,
): Promise<number> {
  const document = db.doc(path);
  options.assertOpen();
  const subcollections = await withDeadline(
    document.listCollections(),
    options.readWriteMs,
    `listing the subcollections of ${path} to delete them`,
  );
  let deleted = 0;
  for (const collection of subcollections) {
    deleted = await deleteCollection(db, collection, deleted, options);
  }
  options.assertOpen();
  await withDeadline(document.delete(), options.readWriteMs, `deleting ${path}`);
  return deleted + 1;
}

async function deleteCollection(
  db: Firestore,
  collection: CollectionReference,
  deletedBefore: number,
  options: TreeDeleteOptions,
): Promise<number> {
  let deleted = deletedBefore;
  for (;;) {
    options.assertOpen();
    // Ids only; a deleted page is gone from the next query, so no cursor is needed.
    const page = await withDeadline(
      collection.select().limit(FIRESTORE_MAX_WRITES_PER_COMMIT).get(),
      options.readWriteMs,
      `listing ${collection.path} to delete it (${deleted} documents deleted so far)`,
    );
    if (page.empty) return deleted;
    const batch = db.batch();
    for (const entry of page.docs) batch.delete(entry.ref);
    await withDeadline(
      batch.commit(),
      options.commitMs,
      `deleting ${page.size} documents of ${collection.path} (${deleted} deleted before them)`,
    );
    deleted += page.size;
    options.onProgress?.(deleted);
  }
}
