import type { Firestore, Query, QueryDocumentSnapshot, Timestamp } from '@google-cloud/firestore';
import { errorMessage } from '../../../common/errors/error-message.js';
import { withDeadline } from '../../../common/gcp/deadline.js';

/** One page of a query and the time it was read at. */
export interface DocumentPage {
  docs: QueryDocumentSnapshot[];
  readTime: Timestamp;
}

export interface PagingOptions {
  pageSize: number;
  /** Longest one page's read may take. */
  pageTimeoutMs: number;
  /** What is read, for errors: `prediction_batches`, `prediction_batches/x/completions`. */
  what: string;
  /**
   * Reads every page as of this time (a read-only transaction at that time), so that documents
   * read apart still show one moment; the latest data when absent.
   */
  readTime?: Timestamp;
}

/**
 * Every document of `query` (which must be ordered, the document id last, as Firestore orders
 * implicitly), a page at a time: each page starts after the last document of the one before, a
 * cursor rather than an offset, so a page costs only its own reads and only one is held at once.
 */
export async function* pagesOf(
  db: Firestore,
  query: Query,
  options: PagingOptions,
): AsyncIterable<DocumentPage> {
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    const page = (last ? query.startAfter(last) : query).limit(options.pageSize);
    const snapshot = await withDeadline(
      options.readTime
        ? db.runTransaction((transaction) => transaction.get(page), {
            readOnly: true,
            readTime: options.readTime,
          })
        : page.get(),
      options.pageTimeoutMs,
      `reading a page of ${options.what}`,
    ).catch((error: unknown) => {
      throw new Error(
        `reading ${options.what} after ${last ? `document ${last.id}` : 'the start'} failed: ${errorMessage(error)}`,
        { cause: error },
      );
    });
    if (snapshot.docs.length > 0) yield { docs: snapshot.docs, readTime: snapshot.readTime };
    if (snapshot.docs.length < options.pageSize) return;
    last = snapshot.docs[snapshot.docs.length - 1];
  }
}
