import { defineOutboxRoute } from '../../common/outbox/outbox-route.js';
import { BATCH_EVENTS, type BatchCompleted, type BatchEvent } from './batch.events.js';
import { completionPercentage } from './batch-progress.view.js';

/** The BigQuery table the prediction workers write; phase 6 reads it. */
export const PHASE5_OUTPUT_TABLE = 'player_prop_predictions';

/**
 * The phase-5 message as the phase-6 consumer reads it (the old coordinator's unified format),
 * pinned by test/contracts/phase5-message.contract.e2e.spec.ts. Every field is always present.
 *
 * The `*_predictions` counts of `metadata` count players (one player's predictions are one unit
 * of work): the batch knows how many players it expects, never how many predictions each will
 * produce, so a prediction-based share cannot be computed. `completion_pct` is completed players
 * over expected players: failed players do not count, so the consumer's guard (it skips phase 6
 * below 80%) stops a batch whose players mostly failed. `record_count` is the predictions written.
 */
export interface Phase5Message {
  processor_name: 'PredictionCoordinator';
  phase: 'phase_5_predictions';
  /** The batch id. */
  execution_id: string;
  correlation_id: string;
  game_date: string;
  output_table: typeof PHASE5_OUTPUT_TABLE;
  /**
   * success: every expected player completed; failed: no player completed (phase 6 has nothing to
   * publish); partial: anything else (some players failed, or the batch completed by stalling).
   */
  status: Phase5Status;
  /** Predictions written by the batch's completed players. */
  record_count: number;
  timestamp: string;
  metadata: {
    batch_id: string;
    /** Players expected. */
    expected_predictions: number;
    /** Players whose latest outcome is a success. */
    completed_predictions: number;
    /** Players that failed and never succeeded. */
    failed_predictions: number;
    /** completed_predictions / expected_predictions, 0..100 with two decimals. */
    completion_pct: number;
    // The fields below are the ones this message carried before; kept for readers of them.
    expected_players: number;
    completed_players: number;
    failed_players: number;
    total_predictions: number;
    /** (completed + failed) / expected: how much of the batch is done, not how much succeeded. */
    completion_percentage: number;
    completion_reason: BatchCompleted['reason'];
  };
}

export type Phase5Status = 'success' | 'partial' | 'failed';

export function phase5Status(completed: BatchCompleted): Phase5Status {
  if (completed.completed_players === 0) return 'failed';
  const everyoneCompleted = completed.reason === 'all_players' && completed.failed_players === 0;
  return everyoneCompleted ? 'success' : 'partial';
}

export function phase5Message(completed: BatchCompleted): Phase5Message {
  return {
    processor_name: 'PredictionCoordinator',
    phase: 'phase_5_predictions',
    execution_id: completed.batch_id,
    correlation_id: completed.correlation_id,
    game_date: completed.game_date,
    output_table: PHASE5_OUTPUT_TABLE,
    status: phase5Status(completed),
    record_count: completed.total_predictions,
    timestamp: completed.completed_at,
    metadata: {
      batch_id: completed.batch_id,
      expected_predictions: completed.expected_players,
      completed_predictions: completed.completed_players,
      failed_predictions: completed.failed_players,
      completion_pct: completionPercentage(completed.completed_players, completed.expected_players),
      expected_players: completed.expected_players,
      completed_players: completed.completed_players,
      failed_players: completed.failed_players,
      total_predictions: completed.total_predictions,
      completion_percentage: completed.completion_percentage,
      completion_reason: completed.reason,
    },
  };
}

/** Each BatchCompleted, built from the event alone; imported history publishes nothing. */
export function phase5OutboxRoute(topic: string) {
  return defineOutboxRoute<BatchEvent>()({
    topic,
    eventTypes: [BATCH_EVENTS.completed],
    toMessage(event) {
      const completed = event.data;
      if (completed.reason === 'legacy_import') return null;
      const body = phase5Message(completed);
      return {
        attributes: {
          batch_id: completed.batch_id,
          game_date: completed.game_date,
          correlation_id: completed.correlation_id,
          status: body.status,
        },
        body,
      };
    },
  });
}
