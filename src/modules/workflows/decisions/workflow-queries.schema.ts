import { z } from 'zod';
import { localDateSchema } from './workflows-config.schema.js';

const localDate = localDateSchema.optional();

/** GET /v1/workflows/decisions: `date` defaults to today in the configured time zone. */
export const decisionsQuerySchema = z.strictObject({ date: localDate });

/** GET /v1/workflows/executions: `date` defaults to today in the configured time zone. */
export const executionsQuerySchema = z.strictObject({
  date: localDate,
  status: z.enum(['running', 'completed', 'failed', 'interrupted']).optional(),
});

export type ExecutionsQuery = z.infer<typeof executionsQuerySchema>;
