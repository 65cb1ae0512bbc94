import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const QUERY_PARAMS = 'shotclock:query-params';

/**
 * Declares the query parameters a route accepts: the keys of its zod object schema. Any other
 * parameter, or one given twice, is refused with 400 before the handler runs; a route without
 * this metadata accepts none.
 */
export const QueryParams = (schema: z.ZodObject) =>
  SetMetadata(QUERY_PARAMS, Object.keys(schema.shape) as readonly string[]);
