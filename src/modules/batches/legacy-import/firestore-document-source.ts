import {
  FieldPath,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type Timestamp,
} from '@google-cloud/firestore';
import { errorMessage } from '../../../common/errors/error-message.js';
import { withDeadline } from '../../../common/gcp/deadline.js';
import { mergeCompletionLayouts, type CompletionDocument } from './completion-layouts.js';
import { pagesOf } from './firestore-paging.js';
import { plainFirestoreData } from './firestore-values.js';
import type { LegacyDocumentSource, SourceItem } from './legacy-document-source.js';

export const LEGACY_BATCHES_COLLECTION = 'prediction_batches';
export const COMPLETIONS_SUBCOLLECTION = 'completions';

/**
 * Batch documents per page. A legacy batch document holds its players twice (array and map) and
 * may near Firestore's 1 MiB document limit for a full slate, so 100 bounds a page, with its
 * batches' completion documents, to tens of MiB at worst, while one round trip per 100 batches
 * stays negligible beside the import's own appends.
 */
export const FIRESTORE_PAGE_SIZE = 100;

/** Completion subcollections read at once: their round trips overlap, the load stays light. */
const SUBCOLLECTION_READS_AT_ONCE = 8;

export interface FirestoreSourceOptions {
  /** The collection of batch documents (`prediction_batches`). */
  collection: string;
  /** Only documents whose `game_date` (text `YYYY-MM-DD`) is this day or later. */
  since: string | null;
  /** Longest one page's read, or the count, may take. */
  readTimeoutMs: number;
  /** FIRESTORE_PAGE_SIZE unless a test wants small pages. */
  pageSize?: number;
}

/**
 * The legacy batch documents of a Firestore collection, in document id order (game_date, then
 * id, with `since`), a page at a time, each with its `completions` subcollection folded in
 * (mergeCompletionLayouts). The total is counted first (an aggregation: one read per 1,000
 * documents); a failed count is reported through `note` and leaves the total unknown.
 */
export async function openFirestoreLegacyDocuments(
  db: Firestore,
  options: FirestoreSourceOptions,
  note: (line: string) => void,
): Promise<LegacyDocumentSource> {
  const query = selection(db, options);
  const total = await countOf(query, options).catch((error: unknown) => {
    note(
      `counting the documents of ${options.collection} failed, total unknown: ${errorMessage(error)}`,
    );
    return null;
  });
  return { format: 'firestore', total, items: firestoreItems(db, query, options) };
}

function selection(db: Firestore, { collection, since }: FirestoreSourceOptions): Query {
  const documents = db.collection(collection);
  if (since === null) return documents.orderBy(FieldPath.documentId());
  // Firestore orders a range filter's field first; the document id then makes the cursor exact.
  return documents
    .where('game_date', '>=', since)
    .orderBy('game_date')
    .orderBy(FieldPath.documentId());
}

async function countOf(query: Query, options: FirestoreSourceOptions): Promise<number> {
  const snapshot = await withDeadline(
    query.count().get(),
    options.readTimeoutMs,
    `counting ${options.collection}`,
  );
  return snapshot.data().count;
}

async function* firestoreItems(
  db: Firestore,
  query: Query,
  options: FirestoreSourceOptions,
): AsyncIterable<SourceItem> {
  const paging = {
    pageSize: options.pageSize ?? FIRESTORE_PAGE_SIZE,
    pageTimeoutMs: options.readTimeoutMs,
  };
  for await (const page of pagesOf(db, query, { ...paging, what: options.collection })) {
    // Each subcollection is read as of the page's read time, so a batch that was being written
    // shows both its layouts at one moment, not a disagreement made by reading them apart.
    yield* await mapConcurrently(page.docs, SUBCOLLECTION_READS_AT_ONCE, async (doc) => {
      const completions = await readCompletions(db, doc, { ...paging, readTime: page.readTime });
      return itemOf(doc, completions);
    });
  }
}

async function readCompletions(
  db: Firestore,
  doc: QueryDocumentSnapshot,
  paging: { pageSize: number; pageTimeoutMs: number; readTime: Timestamp },
): Promise<CompletionDocument[]> {
  const subcollection = doc.ref.collection(COMPLETIONS_SUBCOLLECTION);
  const query = subcollection.orderBy(FieldPath.documentId());
  const completions: CompletionDocument[] = [];
  for await (const page of pagesOf(db, query, { ...paging, what: subcollection.path })) {
    for (const completion of page.docs) {
      completions.push({ id: completion.id, data: plainData(completion) });
    }
  }
  return completions;
}

function itemOf(doc: QueryDocumentSnapshot, completions: CompletionDocument[]): SourceItem {
  const data = plainData(doc);
  const merged = mergeCompletionLayouts(data, completions);
  const batchId = data.batch_id;
  const warnings =
    typeof batchId === 'string' && batchId !== doc.id
      ? [`batch_id ${batchId} differs from the document id; imported as batch ${batchId}`]
      : [];
  return {
    location: doc.ref.path,
    value: merged.value,
    ...(merged.problem === undefined ? {} : { problem: merged.problem }),
    layoutMismatches: merged.layoutMismatches,
    unknownFields: merged.unknownFields,
    warnings,
  };
}

function plainData(doc: QueryDocumentSnapshot): Record<string, unknown> {
  return plainFirestoreData(doc.data());
}

/** `work` over `items`, at most `limit` at a time, the results in the order of `items`. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
