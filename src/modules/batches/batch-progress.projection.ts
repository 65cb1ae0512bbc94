import { Logger } from '@nestjs/common';
import type {
  EventOfType,
  ReadModelTransaction,
  Recorded,
  RecordedOf,
} from '../../common/event-store/index.js';
import { cutText, TEXT_LIMITS } from '../../common/http/text-limits.js';
import { defineProjection } from '../../common/projections/projection-definition.js';
import { BATCH_EVENTS, type BatchEvent } from './batch.events.js';
import {
  applyPlayerOutcome,
  completedProgress,
  startedProgress,
  withPlayerOutcome,
  type PlayerOutcome,
} from './batch-progress.evolve.js';
import {
  BATCH_COLLECTIONS as C,
  BATCH_PROGRESS_PROJECTION,
  dateKey,
  playerKey,
  statusKey,
  type BatchProgress,
  type PlayerProgress,
} from './batch-progress.view.js';

const logger = new Logger('BatchProgressProjection');

const APPLIED = [
  BATCH_EVENTS.created,
  BATCH_EVENTS.playersExpected,
  BATCH_EVENTS.predictionCompleted,
  BATCH_EVENTS.predictionFailed,
  BATCH_EVENTS.stallCheckDue,
  BATCH_EVENTS.completed,
] as const;
type Applied<T extends (typeof APPLIED)[number]> = Recorded<EventOfType<BatchEvent, T>>;

/**
 * Progress of every batch: O(1) reads and writes per event (a handful of documents), never the
 * whole player list. Expected players are indexed one document each (`batch_pending`), removed as
 * they report, so membership checks and the missing list need no scan.
 */
export const batchProgressProjection = defineProjection<BatchEvent>()({
  name: BATCH_PROGRESS_PROJECTION,
  eventTypes: APPLIED,
  collections: Object.values(C),
  async apply(event, tx) {
    switch (event.type) {
      case BATCH_EVENTS.created:
        return onCreated(event, tx);
      case BATCH_EVENTS.playersExpected:
        return onPlayersExpected(event, tx);
      case BATCH_EVENTS.predictionCompleted: {
        const data = event.data;
        return onPlayerOutcome(event, data.batch_id, data.player_lookup, tx, {
          kind: 'completed',
          predictions: data.predictions_generated,
          at: data.completed_at,
        });
      }
      case BATCH_EVENTS.predictionFailed: {
        const data = event.data;
        // Events written before errors were cut at the push may hold any length: cut here too.
        const error = cutText(data.error_message, TEXT_LIMITS.errorMessage);
        return onPlayerOutcome(event, data.batch_id, data.player_lookup, tx, {
          kind: 'failed',
          error: error.text,
          errorTruncatedFrom: data.error_message_truncated_from ?? error.truncatedFrom,
          at: data.failed_at,
        });
      }
      case BATCH_EVENTS.stallCheckDue:
        return onBatchStreamEvent(event, tx, (progress) => progress);
      case BATCH_EVENTS.completed:
        return onCompleted(event, tx);
    }
  },
});

async function onCreated(event: Applied<typeof BATCH_EVENTS.created>, tx: ReadModelTransaction) {
  const progress = startedProgress(event.data, event.streamVersion);
  await tx.put(C.batches, progress.batch_id, progress);
  await tx.put(C.byDate, dateKey(progress.game_date, progress.batch_id), {
    batch_id: progress.batch_id,
  });
  await tx.put(C.byStatus, statusKey('running', progress.game_date, progress.batch_id), {
    batch_id: progress.batch_id,
  });
}

async function onPlayersExpected(
  event: Applied<typeof BATCH_EVENTS.playersExpected>,
  tx: ReadModelTransaction,
) {
  await onBatchStreamEvent(event, tx, (progress) => progress);
  for (const player of event.data.players) {
    await tx.put(C.pending, playerKey(event.data.batch_id, player), { player_lookup: player });
  }
}

async function onPlayerOutcome(
  event: RecordedOf<BatchEvent, typeof APPLIED>,
  batchId: string,
  player: string,
  tx: ReadModelTransaction,
  outcome: PlayerOutcome,
) {
  const progress = await tx.get<BatchProgress>(C.batches, batchId);
  if (!progress) {
    // Only an append that bypassed the push handler (which parks these) can get here.
    logger.warn(
      `${event.type} ${event.eventId} names batch ${batchId}, which has no BatchCreated before it; not counted`,
    );
    return;
  }
  const key = playerKey(batchId, player);
  const previous = await tx.get<PlayerProgress>(C.players, key);
  let expected = true;
  if (!previous && progress.has_expected_list) {
    expected = (await tx.get(C.pending, key)) !== null;
    if (expected) await tx.delete(C.pending, key);
  } else if (!previous && outcome.kind === 'failed' && isFull(progress)) {
    // A count-only batch cannot tell who belongs to it: a new player failing once the announced
    // count is reached would push failed_count past the batch's size, so it counts as unexpected.
    expected = false;
  }
  const effect = applyPlayerOutcome(previous, player, outcome, expected);
  await tx.put(C.players, key, effect.player);
  await tx.put(C.batches, batchId, withPlayerOutcome(progress, effect, outcome.at));
}

async function onCompleted(
  event: Applied<typeof BATCH_EVENTS.completed>,
  tx: ReadModelTransaction,
) {
  const completed = event.data;
  await onBatchStreamEvent(event, tx, (progress) =>
    completedProgress(progress, completed, event.streamVersion),
  );
  await tx.delete(C.byStatus, statusKey('running', completed.game_date, completed.batch_id));
  await tx.put(C.byStatus, statusKey('complete', completed.game_date, completed.batch_id), {
    batch_id: completed.batch_id,
  });
}

/** Events of stream `batch-<id>` move the version the completion reaction appends against. */
async function onBatchStreamEvent(
  event: RecordedOf<BatchEvent, typeof APPLIED>,
  tx: ReadModelTransaction,
  change: (progress: BatchProgress) => BatchProgress,
) {
  const batchId = event.data.batch_id;
  const progress = await tx.get<BatchProgress>(C.batches, batchId);
  if (!progress) {
    logger.warn(
      `${event.type} ${event.eventId} names batch ${batchId}, which has no BatchCreated; skipped`,
    );
    return;
  }
  await tx.put(C.batches, batchId, {
    ...change(progress),
    batch_stream_version: event.streamVersion,
  });
}

function isFull(progress: BatchProgress): boolean {
  return progress.completed_count + progress.failed_count >= progress.expected_players;
}
