import { cutFields, TEXT_LIMITS } from '../../common/http/text-limits.js';
import type { PushContext, PushPlan } from '../../common/ingestion/push-planner.js';
import {
  BATCH_EVENTS,
  playerStream,
  type PredictionCompleted,
  type PredictionFailed,
} from './batch.events.js';
import type { PredictionCompletionMessage } from './prediction-completion.schema.js';

/** Park key of completions waiting for their batch; QuarantineService replays them on creation. */
export const batchParkKey = (batchId: string) => `batch:${batchId}`;

/** What the planner read: whether the message's batch exists. */
export interface PredictionBatchState {
  batchExists: boolean;
}

/**
 * A worker's completion or failure (pure): one event on the player's stream, timed by receipt,
 * or, for a batch that does not exist yet, parked until it does. What it means for the batch
 * (first success counts, a success replaces a failure, unexpected players) is the
 * batch-progress projection's business, applied in log order.
 */
export function decidePredictionOutcome(
  message: PredictionCompletionMessage,
  { batchExists }: PredictionBatchState,
  context: Pick<PushContext, 'receivedAt' | 'messageId'>,
): PushPlan {
  const batchId = message.batch_id;
  if (!batchExists) {
    return {
      kind: 'park',
      reason: 'unknown_batch',
      detail:
        `batch ${batchId} does not exist (yet); the ${message.player_lookup} completion is replayed ` +
        'automatically when POST /v1/batches creates it',
      parkKey: batchParkKey(batchId),
    };
  }
  const receivedAt = context.receivedAt.toISOString();
  const event =
    message.status === 'failed'
      ? {
          type: BATCH_EVENTS.predictionFailed,
          data: {
            batch_id: batchId,
            player_lookup: message.player_lookup,
            ...cutFields(
              { error_message: message.error_message },
              { error_message: TEXT_LIMITS.errorMessage },
            ),
            failed_at: receivedAt,
            message_id: context.messageId,
          } satisfies PredictionFailed,
        }
      : {
          type: BATCH_EVENTS.predictionCompleted,
          data: {
            batch_id: batchId,
            player_lookup: message.player_lookup,
            ...cutFields(
              { game_date: message.game_date ?? null },
              { game_date: TEXT_LIMITS.reportedText },
            ),
            predictions_generated: message.predictions_generated,
            ...cutFields(
              { worker_instance: message.worker_instance ?? null },
              { worker_instance: TEXT_LIMITS.workerInstance },
            ),
            completed_at: receivedAt,
            message_id: context.messageId,
            ...cutFields(
              { reported_at: message.timestamp ?? null },
              { reported_at: TEXT_LIMITS.reportedText },
            ),
          } satisfies PredictionCompleted,
        };
  return {
    kind: 'append',
    writes: [
      {
        streamId: playerStream(batchId, message.player_lookup),
        events: [event],
        expectedVersion: 'any',
      },
    ],
  };
}
