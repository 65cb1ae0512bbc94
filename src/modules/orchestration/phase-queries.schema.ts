import { z } from 'zod';
import { gameDateSchema } from './game-date.schema.js';

/** Longest range GET /v1/phases answers (a season and a bit). */
export const MAX_RANGE_DAYS = 366;
const MS_PER_DAY = 86_400_000;

export const phaseDateParamSchema = z.strictObject({ gameDate: gameDateSchema });

export const phaseRangeQuerySchema = z
  .strictObject({ from: gameDateSchema, to: gameDateSchema })
  .refine((range) => range.from <= range.to, { path: ['to'], message: 'must not be before from' })
  .refine((range) => daysBetween(range.from, range.to) < MAX_RANGE_DAYS, {
    path: ['to'],
    message: `at most ${MAX_RANGE_DAYS} days from from (inclusive)`,
  });

export const manualTriggerSchema = z.strictObject({
  reason: z.string().trim().min(1, 'a non-empty reason').max(500),
});

export type PhaseRangeQuery = z.infer<typeof phaseRangeQuerySchema>;

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** The calendar day before `date` (YYYY-MM-DD). */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - MS_PER_DAY).toISOString().slice(0, 10);
}
