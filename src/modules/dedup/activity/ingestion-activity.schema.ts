import { z } from 'zod';

/** The most buckets (minutes) GET /v1/ingestion/activity answers: a day. */
export const MAX_WINDOW_BUCKETS = 1440;

export const activityQuerySchema = z.strictObject({
  minutes: z.coerce.number().int().min(1).max(MAX_WINDOW_BUCKETS).default(60),
});
