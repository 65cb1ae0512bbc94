import { BATCH_EVENTS } from '../../batches/index.js';
import type { BatchMirrorState } from '../documents/batch-documents.js';
import type { BatchLayout } from '../documents/batch-layout.js';
import {
  batchDocumentPath,
  batchStateKey,
  completionsCollection,
  isFirestoreName,
  MIRROR_STATE,
} from '../documents/mirror-paths.js';
import { legacyMirrorProjection, type MirroredBatchEvent } from '../legacy-mirror.projection.js';
import type { MirroredBatch } from './compare-mirrored-batch.js';
import { InMemoryDocuments } from './in-memory-documents.js';

/**
 * The documents the mirror projection writes for one batch from its events alone, with the layout
 * it was recorded with: what Firestore should hold.
 */
export async function replayBatch(
  batchId: string,
  events: readonly MirroredBatchEvent[],
  layout: BatchLayout,
): Promise<MirroredBatch> {
  const projection = legacyMirrorProjection({ layoutOf: () => layout });
  const documents = new InMemoryDocuments();
  for (const event of events) await projection.apply(event, documents);

  const completionsPrefix = `${completionsCollection(batchId)}/`;
  const completions = new Map<string, Record<string, unknown>>();
  for (const [path, doc] of documents.documents) {
    if (path.startsWith(completionsPrefix))
      completions.set(path.slice(completionsPrefix.length), doc);
  }
  return {
    state:
      (documents.documents.get(`${MIRROR_STATE}/${batchStateKey(batchId)}`) as
        BatchMirrorState | undefined) ?? null,
    document: documents.documents.get(batchDocumentPath(batchId)) ?? null,
    completions,
  };
}

/** Players the log says completed (a success, whatever came before or after). */
export function completedPlayers(events: readonly MirroredBatchEvent[]): number {
  const players = new Set<string>();
  for (const event of events) {
    if (event.type !== BATCH_EVENTS.predictionCompleted) continue;
    if (isFirestoreName(event.data.player_lookup)) players.add(event.data.player_lookup);
  }
  return players.size;
}
