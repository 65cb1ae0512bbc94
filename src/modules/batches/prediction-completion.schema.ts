import { z } from 'zod';
import { boundedString, TEXT_LIMITS } from '../../common/http/text-limits.js';
import { batchIdSchema, reportedPlayerSchema } from './batch-identifiers.js';
import { informational } from '../../common/ingestion/informational-field.js';

/**
 * Most predictions one player's message may report: far above any real count, and low enough
 * that total_predictions of a 100,000,000-player batch stays an exact integer.
 */
export const MAX_PREDICTIONS_PER_PLAYER = 1_000_000;

const correlationId = informational(boundedString(TEXT_LIMITS.correlationId).min(1).nullish());

/**
 * A worker's success message (topic prediction-ready); fields beyond these are allowed and ignored.
 * Only what the batch needs is strict: a malformed informational field must not quarantine a
 * completion. Informational text of any length is accepted here and cut by the handler to its
 * TEXT_LIMITS (the event records the original length); an empty one counts as not given.
 */
export const predictionSucceededSchema = z.looseObject({
  player_lookup: reportedPlayerSchema,
  batch_id: batchIdSchema,
  predictions_generated: z.int().min(0).max(MAX_PREDICTIONS_PER_PLAYER),
  status: z.enum(['success', 'completed']),
  game_date: informational(z.string().nullish()),
  timestamp: informational(z.string().nullish()),
  worker_instance: informational(z.string().nullish()),
  correlation_id: correlationId,
});

/** A worker's failure message: the player is marked failed until a later success. */
export const predictionFailedSchema = z.looseObject({
  player_lookup: reportedPlayerSchema,
  batch_id: batchIdSchema,
  status: z.literal('failed'),
  error_message: informational(z.string().default('no error message given')),
  correlation_id: correlationId,
});

/**
 * Workers leave `status` out on success; defaulting it lets the union pick its branch by status,
 * so a schema violation names the missing field instead of "invalid input".
 */
export const predictionCompletionSchema = z.preprocess(
  (value) =>
    value !== null && typeof value === 'object' && !('status' in value)
      ? { ...value, status: 'success' }
      : value,
  z.discriminatedUnion('status', [predictionFailedSchema, predictionSucceededSchema]),
);

export type PredictionCompletionMessage = z.infer<typeof predictionCompletionSchema>;
