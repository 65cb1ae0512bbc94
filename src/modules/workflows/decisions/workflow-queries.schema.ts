import { z } from 'zod';
import { boundedString, TEXT_LIMITS } from '../../../common/http/text-limits.js';
import { localDateSchema } from './workflows-config.schema.js';

const localDate = localDateSchema.optional();
/** A local date holds tens to hundreds of evaluations or executions: one page is normally all. */
const limit = z.coerce.number().int().min(1).max(1000).default(1000);
const cursor = boundedString(TEXT_LIMITS.queryText).min(1).optional();

/** GET /v1/workflows/decisions: `date` defaults to today in the configured time zone. */
export const decisionsQuerySchema = z.strictObject({ date: localDate, cursor, limit });

/** GET /v1/workflows/executions: `date` defaults to today in the configured time zone. */
export const executionsQuerySchema = z.strictObject({
  date: localDate,
  status: z.enum(['running', 'completed', 'failed', 'interrupted']).optional(),
  cursor,
  limit,
});

export type DecisionsQuery = z.infer<typeof decisionsQuerySchema>;
export type ExecutionsQuery = z.infer<typeof executionsQuerySchema>;
