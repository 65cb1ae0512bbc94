import type { NewEvent, StreamWrite } from '../../../common/event-store/index.js';
import {
  BATCH_EVENTS,
  batchStream,
  playerStream,
  type BatchCompleted,
  type BatchCreated,
  type PredictionCompleted,
  type PredictionFailed,
} from '../batch.events.js';
import { completionPercentage } from '../batch-progress.view.js';
import type { LegacyBatchDocument } from './legacy-batch-document.schema.js';

/** Batches created by the import use the service default; the legacy documents have none. */
export const LEGACY_MIN_COMPLETION_PCT = 95;

const FAILED_WITHOUT_MESSAGE = 'imported from a legacy batch document (no error message recorded)';

/** What the import writes for one document. */
export interface LegacyBatchWrites {
  batchId: string;
  /** One atomic appendMulti: BatchCreated on the batch stream, then one stream per player. */
  history: StreamWrite[];
  /** Appended after `history` (so it follows every completion in the log) when the document is complete. */
  completion: NewEvent<BatchCompleted> | null;
}

/**
 * The events equivalent to a legacy document. Each listed player gets its own stream (a player in
 * both lists gets PredictionFailed then PredictionCompleted: a later success replaces a failure);
 * a player listed twice is written once. Counts in BatchCompleted are those of the written events,
 * so the log agrees with itself even where the legacy document did not.
 */
export function legacyBatchWrites(
  doc: LegacyBatchDocument,
  fingerprint: string,
): LegacyBatchWrites {
  const startedAt = doc.start_time ?? doc.created_at!;
  const completedAt = doc.completion_time ?? doc.updated_at ?? startedAt;
  const correlationId = doc.correlation_id ?? `legacy-import:${doc.batch_id}`;
  // The fingerprint tells a later import whether it holds the same document (see the importer).
  const metadata = { correlationId, source: 'legacy_import', legacyFingerprint: fingerprint };

  const created: BatchCreated = {
    batch_id: doc.batch_id,
    game_date: doc.game_date,
    expected_count: doc.expected_players,
    has_expected_list: false,
    correlation_id: correlationId,
    min_completion_pct: LEGACY_MIN_COMPLETION_PCT,
    forced: false,
    source: 'legacy_import',
    started_at: startedAt,
  };

  const completed = new Set(doc.completed_players);
  const failed = new Set(doc.failed_players);
  const players = new Set([...doc.failed_players, ...doc.completed_players]);
  let totalPredictions = 0;
  const playerWrites: StreamWrite[] = [];
  for (const player of players) {
    const events: NewEvent[] = [];
    if (failed.has(player)) {
      const data: PredictionFailed = {
        batch_id: doc.batch_id,
        player_lookup: player,
        error_message: FAILED_WITHOUT_MESSAGE,
        failed_at: completedAt,
        message_id: null,
      };
      events.push({ type: BATCH_EVENTS.predictionFailed, data, metadata });
    }
    if (completed.has(player)) {
      const predictions = doc.predictions_by_player[player] ?? 0;
      totalPredictions += predictions;
      const data: PredictionCompleted = {
        batch_id: doc.batch_id,
        player_lookup: player,
        game_date: doc.game_date,
        predictions_generated: predictions,
        worker_instance: null,
        completed_at: completedAt,
        message_id: null,
      };
      events.push({ type: BATCH_EVENTS.predictionCompleted, data, metadata });
    }
    playerWrites.push({
      streamId: playerStream(doc.batch_id, player),
      events,
      expectedVersion: 'no-stream',
    });
  }

  const failedOnly = [...failed].filter((player) => !completed.has(player)).length;
  const done = completed.size + failedOnly;
  const completion: BatchCompleted = {
    batch_id: doc.batch_id,
    game_date: doc.game_date,
    correlation_id: correlationId,
    reason: 'legacy_import',
    expected_players: doc.expected_players,
    completed_players: completed.size,
    failed_players: failedOnly,
    // Without an expected list nobody can be told apart as unexpected.
    unexpected_players: 0,
    missing_players: Math.max(0, doc.expected_players - done),
    total_predictions: totalPredictions,
    completion_percentage: completionPercentage(done, doc.expected_players),
    completed_at: completedAt,
  };

  return {
    batchId: doc.batch_id,
    history: [
      {
        streamId: batchStream(doc.batch_id),
        events: [{ type: BATCH_EVENTS.created, data: created, metadata }],
        expectedVersion: 'no-stream',
      },
      ...playerWrites,
    ],
    completion: doc.is_complete
      ? { type: BATCH_EVENTS.completed, data: completion, metadata }
      : null,
  };
}
