import type { OutboxRoute } from '../../common/outbox/outbox-route.js';
import { BATCH_EVENTS, type BatchCompleted } from './batch.events.js';

/** The phase-5 message downstream consumers already parse (the old coordinator's format). */
export interface Phase5Message {
  processor_name: 'PredictionCoordinator';
  phase: 'phase_5_predictions';
  game_date: string;
  correlation_id: string;
  /** success: every expected player completed; partial: some failed, or the batch stalled. */
  status: 'success' | 'partial';
  timestamp: string;
  metadata: {
    batch_id: string;
    expected_players: number;
    completed_players: number;
    failed_players: number;
    total_predictions: number;
    completion_percentage: number;
    completion_reason: BatchCompleted['reason'];
  };
}

export function phase5Message(completed: BatchCompleted): Phase5Message {
  const everyoneCompleted = completed.reason === 'all_players' && completed.failed_players === 0;
  return {
    processor_name: 'PredictionCoordinator',
    phase: 'phase_5_predictions',
    game_date: completed.game_date,
    correlation_id: completed.correlation_id,
    status: everyoneCompleted ? 'success' : 'partial',
    timestamp: completed.completed_at,
    metadata: {
      batch_id: completed.batch_id,
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
export function phase5OutboxRoute(topic: string): OutboxRoute {
  return {
    topic,
    eventTypes: [BATCH_EVENTS.completed],
    toMessage(event) {
      const completed = event.data as BatchCompleted;
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
  };
}
