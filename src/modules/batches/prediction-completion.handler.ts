import { Inject, Injectable } from '@nestjs/common';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import { cutFields, TEXT_LIMITS } from '../../common/http/text-limits.js';
import type {
  PushContext,
  PushDecision,
  PushHandler,
} from '../../common/ingestion/push-handler.js';
import {
  BATCH_EVENTS,
  batchStream,
  playerStream,
  type PredictionCompleted,
  type PredictionFailed,
} from './batch.events.js';
import {
  predictionCompletionSchema,
  type PredictionCompletionMessage,
} from './prediction-completion.schema.js';

export const PREDICTION_COMPLETIONS_ENDPOINT = 'prediction-completions';

/** Park key of completions waiting for their batch; QuarantineService replays them on creation. */
export const batchParkKey = (batchId: string) => `batch:${batchId}`;

/**
 * A worker's completion or failure becomes one event on the player's stream. What it means for the
 * batch (first success counts, a success replaces a failure, unexpected players) is the
 * batch-progress projection's business, applied in log order; a completion for a batch that does
 * not exist yet is parked until it does.
 */
@Injectable()
export class PredictionCompletionHandler implements PushHandler<PredictionCompletionMessage> {
  readonly endpoint = PREDICTION_COMPLETIONS_ENDPOINT;
  readonly schema = predictionCompletionSchema;
  /** Batches seen to exist: a stream never disappears from the log, so one read per batch is enough. */
  private readonly knownBatches = new Set<string>();

  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  correlationIdOf(message: PredictionCompletionMessage): string | undefined {
    return message.correlation_id ?? undefined;
  }

  async decide(message: PredictionCompletionMessage, context: PushContext): Promise<PushDecision> {
    const batchId = message.batch_id;
    if (!(await this.batchExists(batchId))) {
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

  private async batchExists(batchId: string): Promise<boolean> {
    if (this.knownBatches.has(batchId)) return true;
    const exists = (await this.storage.events.streamVersion(batchStream(batchId))) > 0;
    if (exists) this.knownBatches.add(batchId);
    return exists;
  }
}
