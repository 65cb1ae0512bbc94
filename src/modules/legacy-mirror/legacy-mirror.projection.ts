import { Logger } from '@nestjs/common';
import type {
  EventOfType,
  ReadModelTransaction,
  Recorded,
} from '../../common/event-store/index.js';
import { defineProjection } from '../../common/projections/projection-definition.js';
import { BATCH_EVENTS, type BatchEvent } from '../batches/index.js';
import { PHASE2_EVENTS, type Phase2Event } from '../orchestration/index.js';
import {
  createdBatch,
  legacyPlayerRecord,
  playerSource,
  subcollectionPlayerRecord,
  withBatchCompleted,
  withCompletion,
  withFailure,
  type BatchChange,
  type BatchDocument,
  type BatchMirrorState,
  type CompletionDocument,
} from './documents/batch-documents.js';
import type { BatchLayout } from './documents/batch-layout.js';
import {
  batchStateKey,
  completionsCollection,
  isFirestoreName,
  MIRROR_STATE,
  PHASE2_COMPLETION,
  phase2StateKey,
  PREDICTION_BATCHES,
} from './documents/mirror-paths.js';
import {
  withReport,
  withTrigger,
  type Phase2Document,
  type Phase2MirrorState,
} from './documents/phase2-documents.js';
import { FIRESTORE_MAX_WRITES_PER_COMMIT } from './firestore/document-tree-delete.js';
import { asMirrorTransaction } from './mirror-transaction.js';

export const LEGACY_MIRROR_PROJECTION = 'legacy-mirror';

/**
 * Most documents one event writes (a completion: its completion document, the batch document and
 * the batch's state); with the checkpoint, a step of LEGACY_MIRROR_BATCH_SIZE events stays within
 * Firestore's 500 writes per commit.
 */
const MAX_WRITES_PER_EVENT = 3;
export const LEGACY_MIRROR_BATCH_SIZE = Math.floor(
  (FIRESTORE_MAX_WRITES_PER_COMMIT - 1) / MAX_WRITES_PER_EVENT,
);

/** The batch events the mirror writes from (what a batch's check replays). */
export const MIRRORED_BATCH_EVENTS = [
  BATCH_EVENTS.created,
  BATCH_EVENTS.predictionCompleted,
  BATCH_EVENTS.predictionFailed,
  BATCH_EVENTS.completed,
] as const;
export const MIRRORED_EVENTS = [
  ...MIRRORED_BATCH_EVENTS,
  PHASE2_EVENTS.processorReported,
  PHASE2_EVENTS.phase3Triggered,
] as const;
export type MirroredBatchEvent = Recorded<
  EventOfType<BatchEvent, (typeof MIRRORED_BATCH_EVENTS)[number]>
>;

export interface LegacyMirrorContext {
  /** The completion layout of a batch being created: the flags now (a check replays with the recorded one). */
  layoutOf(batchId: string): BatchLayout;
}

const logger = new Logger('LegacyMirrorProjection');

/**
 * The platform's Firestore documents, written from the log: `prediction_batches/{batch_id}` (with
 * its completions in the layout of its flags) and `phase2_completion/{game_date}`. Every value is
 * computed from the documents as they stand (no increments), and the store commits a step's
 * documents with the projection's checkpoint in one Firestore transaction, so each event counts
 * exactly once whatever crashes, and a rebuild writes the same documents. Batches of the legacy
 * import are not mirrored: the platform's own documents are their source.
 */
export function legacyMirrorProjection(context: LegacyMirrorContext) {
  return defineProjection<BatchEvent | Phase2Event>()({
    name: LEGACY_MIRROR_PROJECTION,
    eventTypes: MIRRORED_EVENTS,
    // A reset deletes what each state document names (the store's contract), then the states.
    collections: [MIRROR_STATE],
    async apply(event, tx) {
      switch (event.type) {
        case BATCH_EVENTS.created: {
          const created = event.data;
          if (created.source !== 'api') return;
          const { document, state } = createdBatch(
            created,
            context.layoutOf(created.batch_id),
            event.recordedAt,
          );
          await tx.put(PREDICTION_BATCHES, created.batch_id, document);
          await tx.put(MIRROR_STATE, batchStateKey(created.batch_id), state);
          return;
        }
        case BATCH_EVENTS.predictionCompleted:
        case BATCH_EVENTS.predictionFailed:
          return onPlayerOutcome(event, tx);
        case BATCH_EVENTS.completed: {
          const batch = await mirroredBatch(tx, event.data.batch_id);
          if (!batch) return;
          const document = withBatchCompleted(batch.document, event.data, event.recordedAt);
          await tx.put(PREDICTION_BATCHES, event.data.batch_id, document);
          return;
        }
        case PHASE2_EVENTS.processorReported:
        case PHASE2_EVENTS.phase3Triggered: {
          const gameDate = event.data.game_date;
          const [document, state] = await Promise.all([
            tx.get<Phase2Document>(PHASE2_COMPLETION, gameDate),
            tx.get<Phase2MirrorState>(MIRROR_STATE, phase2StateKey(gameDate)),
          ]);
          const current = document && state ? { document, state } : null;
          const next =
            event.type === PHASE2_EVENTS.processorReported
              ? withReport(current, event.data)
              : withTrigger(current, event.data);
          await tx.put(PHASE2_COMPLETION, gameDate, next.document);
          await tx.put(MIRROR_STATE, phase2StateKey(gameDate), next.state);
          return;
        }
      }
    },
  });
}

type PlayerOutcomeEvent = Recorded<
  EventOfType<
    BatchEvent,
    typeof BATCH_EVENTS.predictionCompleted | typeof BATCH_EVENTS.predictionFailed
  >
>;

async function onPlayerOutcome(event: PlayerOutcomeEvent, tx: ReadModelTransaction) {
  const { batch_id: batchId, player_lookup: player } = event.data;
  const batch = await mirroredBatch(tx, batchId);
  if (!batch) return;
  if (!isFirestoreName(player)) {
    logger.warn(
      `${event.type} ${event.eventId}: player id ${JSON.stringify(player)} of batch ${batchId} cannot be a Firestore document id or field name; not mirrored`,
    );
    return;
  }
  const source = playerSource(batch.state);
  if (source === null) return;
  const previous =
    source === 'legacy'
      ? legacyPlayerRecord(batch.document, player)
      : subcollectionPlayerRecord(
          await tx.get<CompletionDocument>(completionsCollection(batchId), player),
        );
  const change: BatchChange | null =
    event.type === BATCH_EVENTS.predictionCompleted
      ? withCompletion(
          batch.document,
          batch.state,
          previous,
          {
            player,
            predictions: event.data.predictions_generated,
            completedAt: event.data.completed_at,
          },
          event.recordedAt,
        )
      : withFailure(batch.document, batch.state, previous, player, event.recordedAt);
  if (!change) return;
  await tx.put(PREDICTION_BATCHES, batchId, change.document);
  await tx.put(MIRROR_STATE, batchStateKey(batchId), change.state);
  if (change.completion) await tx.put(completionsCollection(batchId), player, change.completion);
  if (change.alert) asMirrorTransaction(tx).deferAlert(change.alert);
}

/** The batch's document and state; null for a batch the mirror does not hold (imported history). */
async function mirroredBatch(
  tx: ReadModelTransaction,
  batchId: string,
): Promise<{ document: BatchDocument; state: BatchMirrorState } | null> {
  const [document, state] = await Promise.all([
    tx.get<BatchDocument>(PREDICTION_BATCHES, batchId),
    tx.get<BatchMirrorState>(MIRROR_STATE, batchStateKey(batchId)),
  ]);
  if (state && !document) {
    logger.warn(
      `batch ${batchId}: its document ${PREDICTION_BATCHES}/${batchId} was deleted outside the mirror; ` +
        'its events are skipped until a rebuild (POST /v1/projections/legacy-mirror/rebuild) writes it again',
    );
  }
  return document && state ? { document, state } : null;
}
