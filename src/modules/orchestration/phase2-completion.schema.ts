import { z } from 'zod';
import { TEXT_LIMITS, tooLongProblem } from '../../common/http/text-limits.js';
import { gameDateSchema } from './game-date.schema.js';
import { PROCESSOR_STATUSES } from './phase2.events.js';

/** Required text, refused (quarantined as schema_violation) past its limit. */
const text = (max: number) => z.string().trim().min(1).max(max, tooLongProblem(max));
const bigQueryName = z
  .string()
  .max(TEXT_LIMITS.bigQueryName, tooLongProblem(TEXT_LIMITS.bigQueryName))
  .nullish();

/**
 * A phase-2 processor's completion (topic nba-phase2-raw-complete). Fields beyond these are
 * allowed and ignored; informational fields are lenient so a malformed one cannot quarantine a
 * completion.
 */
export const phase2CompletionSchema = z.looseObject({
  processor_name: text(TEXT_LIMITS.processorName),
  phase: text(TEXT_LIMITS.processorName),
  execution_id: text(TEXT_LIMITS.executionId),
  correlation_id: text(TEXT_LIMITS.correlationId),
  game_date: gameDateSchema,
  status: z.enum(PROCESSOR_STATUSES),
  timestamp: text(TEXT_LIMITS.reportedText),
  output_table: bigQueryName,
  output_dataset: bigQueryName,
  record_count: z.number().int().min(0).nullish().catch(null),
});

export type Phase2CompletionMessage = z.infer<typeof phase2CompletionSchema>;
