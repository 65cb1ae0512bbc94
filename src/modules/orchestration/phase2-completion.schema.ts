import { z } from 'zod';
import { TEXT_LIMITS, tooLongProblem } from '../../common/http/text-limits.js';
import { informational } from '../../common/ingestion/informational-field.js';
import { gameDateSchema } from './game-date.schema.js';
import { PROCESSOR_STATUSES } from './phase2.events.js';

/** Required text, refused (quarantined as schema_violation) when missing, empty or past its limit. */
const text = (max: number) => z.string().trim().min(1).max(max, tooLongProblem(max));

const bigQueryName = informational(
  z.string().max(TEXT_LIMITS.bigQueryName, tooLongProblem(TEXT_LIMITS.bigQueryName)).optional(),
);

/**
 * A phase-2 processor's completion (topic nba-phase2-raw-complete). Fields beyond these are
 * allowed and ignored (`worker_instance: ""` and the like included); informational fields are
 * lenient so a malformed or empty one cannot quarantine a completion. Required: processor_name,
 * phase, execution_id, game_date, status, timestamp.
 */
export const phase2CompletionSchema = z.looseObject({
  processor_name: text(TEXT_LIMITS.processorName),
  phase: text(TEXT_LIMITS.processorName),
  execution_id: text(TEXT_LIMITS.executionId),
  // Informational (the trigger falls back to phase3-<game_date>); too long is still refused, as
  // it is copied into outbound attributes.
  correlation_id: informational(text(TEXT_LIMITS.correlationId).optional()),
  game_date: gameDateSchema,
  status: z.enum(PROCESSOR_STATUSES),
  timestamp: text(TEXT_LIMITS.reportedText),
  output_table: bigQueryName,
  output_dataset: bigQueryName,
  record_count: z.number().int().min(0).nullish().catch(null),
});

export type Phase2CompletionMessage = z.infer<typeof phase2CompletionSchema>;
