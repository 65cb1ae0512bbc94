import type { Firestore } from '@google-cloud/firestore';
import { LEGACY_BATCH_FIXTURE } from './legacy-batch-fixture.js';

/** The fixture under another batch id and game date; `overrides` plant differences. */
export function legacyBatch(
  batchId: string,
  gameDate: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...LEGACY_BATCH_FIXTURE,
    batch_id: batchId,
    game_date: gameDate,
    correlation_id: `corr-${batchId}`,
    ...overrides,
  };
}

/** One `completions/{player_lookup}` document of the subcollection layout. */
export interface Completion {
  player: string;
  predictions: number;
  /** Replaces the document's fields (to plant a bad one). */
  data?: Record<string, unknown>;
}

/** The fixture's completions in the subcollection layout, with the parent's counters. */
export const FIXTURE_COMPLETIONS: Completion[] = [
  { player: 'lebron-james', predictions: 5 },
  { player: 'stephen-curry', predictions: 5 },
  { player: 'nikola-jokic', predictions: 4 },
];

/** The subcollection layout's parent counters for `completions`. */
export function subcollectionCounters(completions: readonly Completion[]) {
  return {
    completed_count: completions.length,
    total_predictions_subcoll: completions.reduce((sum, c) => sum + c.predictions, 0),
  };
}

/** Writes each batch document (id = its batch_id, or `id`) and its completions, in commits of at most 400 writes. */
export async function writeLegacyBatches(
  db: Firestore,
  collection: string,
  batches: ReadonlyArray<{
    doc: Record<string, unknown>;
    id?: string;
    completions?: readonly Completion[];
  }>,
): Promise<void> {
  let writes = db.batch();
  let pending = 0;
  const flush = async () => {
    if (pending > 0) await writes.commit();
    writes = db.batch();
    pending = 0;
  };
  for (const { doc, id, completions = [] } of batches) {
    const parent = db.collection(collection).doc(id ?? String(doc.batch_id));
    writes.set(parent, doc);
    pending += 1;
    for (const completion of completions) {
      writes.set(
        parent.collection('completions').doc(completion.player),
        completion.data ?? {
          player_lookup: completion.player,
          completed_at: '2026-01-20T15:05:00Z',
          predictions_count: completion.predictions,
        },
      );
      pending += 1;
    }
    if (pending >= 400) await flush();
  }
  await flush();
}
