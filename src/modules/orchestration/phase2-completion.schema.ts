import { z } from 'zod';
import { gameDateSchema } from './game-date.schema.js';
import { PROCESSOR_STATUSES } from './phase2.events.js';

const text = z.string().trim().min(1).max(500);

/**
 * A phase-2 processor's completion (topic nba-phase2-raw-complete). Fields beyond these are
 * allowed and ignored; informational fields are lenient so a malformed one cannot quarantine a
 * completion.
 */
export const phase2CompletionSchema = z.looseObject({
  processor_name: text,
  phase: text,
  execution_id: text,
  correlation_id: text,
  game_date: gameDateSchema,
  status: z.enum(PROCESSOR_STATUSES),
  timestamp: text,
  output_table: z.string().max(1024).nullish(),
  output_dataset: z.string().max(1024).nullish(),
  record_count: z.number().int().min(0).nullish().catch(null),
});

export type Phase2CompletionMessage = z.infer<typeof phase2CompletionSchema>;
