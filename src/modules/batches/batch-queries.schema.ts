import { z } from 'zod';
import { boundedString, TEXT_LIMITS } from '../../common/http/text-limits.js';
import { gameDateSchema } from './batch-identifiers.js';

const limit = z.coerce.number().int().min(1).max(1000).default(100);
const cursor = boundedString(TEXT_LIMITS.queryText).min(1).optional();

export const batchListQuerySchema = z.strictObject({
  game_date: gameDateSchema.optional(),
  status: z.enum(['running', 'complete']).optional(),
  cursor,
  limit,
});

export const batchPageQuerySchema = z.strictObject({ cursor, limit });
