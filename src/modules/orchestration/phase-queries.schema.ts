import { z } from 'zod';
import { daysBetween } from '../../common/clock/calendar-days.js';
import { TEXT_LIMITS, tooLongProblem } from '../../common/http/text-limits.js';
import { gameDateSchema } from './game-date.schema.js';

/** Longest range GET /v1/phases answers (a season and a bit). */
export const MAX_RANGE_DAYS = 366;

export const phaseDateParamSchema = z.strictObject({ gameDate: gameDateSchema });

export const phaseRangeQuerySchema = z
  .strictObject({ from: gameDateSchema, to: gameDateSchema })
  .refine((range) => range.from <= range.to, { path: ['to'], message: 'must not be before from' })
  .refine((range) => daysBetween(range.from, range.to) < MAX_RANGE_DAYS, {
    path: ['to'],
    message: `at most ${MAX_RANGE_DAYS} days from from (inclusive)`,
  });

export const manualTriggerSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, 'a non-empty reason')
    .max(TEXT_LIMITS.manualReason, tooLongProblem(TEXT_LIMITS.manualReason)),
});

export type PhaseRangeQuery = z.infer<typeof phaseRangeQuerySchema>;
