import { z } from 'zod';
import {
  isCalendarDate,
  isWithinSupportedYears,
  OUTSIDE_SUPPORTED_YEARS,
} from '../../../common/clock/calendar-days.js';
import { TEXT_LIMITS, tooLongProblem } from '../../../common/http/text-limits.js';

/**
 * The raw shape of config/workflows.yaml (snake_case, as written). Field ranges are checked here;
 * cross-references (known scrapers, cycles) in workflows-config.validator.ts.
 */
const name = z
  .string()
  .max(TEXT_LIMITS.configName, `expected a name of ${tooLongProblem(TEXT_LIMITS.configName)}`)
  .regex(/^[A-Za-z0-9_.-]+$/, 'expected a name of letters, digits, _ . -');
const nameList = z.array(name);

export const rawSettingsSchema = z.strictObject({
  timezone: z.string().min(1, 'expected an IANA time zone such as America/New_York'),
  controller_interval_minutes: z
    .number()
    .int('expected a whole number of minutes')
    .min(1, 'expected at least 1 minute')
    .max(1440, 'expected at most 1440 minutes (a day)')
    .default(60),
});

export const rawScraperSchema = z.strictObject({
  critical: z.boolean().default(false),
  processor_name: z.string().min(1).nullable().optional(),
  estimated_duration_seconds: z.number().positive().nullable().optional(),
  depends_on: nameList.default([]),
  treat_no_data_as_success: z.boolean().default(false),
});

const stepType = z.enum(['single', 'parallel', 'sequential']);

/** `{type: single, scraper}` or `{type: parallel|sequential, scrapers: [...]}`. */
export const rawStepSchema = z.strictObject({
  type: stepType,
  scraper: name.optional(),
  scrapers: nameList.optional(),
  depends_on: nameList.default([]),
});

export const rawWorkflowSchema = z.strictObject({
  enabled: z.boolean().default(true),
  priority: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']),
  decision_type: z.enum(['fixed_time', 'self_aware', 'game_aware', 'discovery']),
  schedule: z.record(z.string(), z.unknown()),
  /** A flat plan (has `type`) or named steps. */
  execution_plan: z.record(z.string(), z.unknown()),
  execution_mode: z.enum(['parallel', 'sequential']).optional(),
  max_workers: z
    .number()
    .int('expected an integer >= 1')
    .min(1, 'expected an integer >= 1')
    .default(10),
  require_all_critical: z.boolean().default(false),
});

export const rawConfigSchema = z.strictObject({
  settings: rawSettingsSchema,
  scrapers: z.record(name, z.unknown()),
  workflows: z.record(name, z.unknown()),
});

const hours = z.number().min(0).max(24);
const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM (00:00-23:59)');

export const scheduleSchemas = {
  self_aware: z.strictObject({
    ideal_window: z
      .strictObject({ start_hour: hours, end_hour: hours })
      .refine((w) => w.start_hour < w.end_hour, {
        message: 'expected 0 <= start_hour < end_hour <= 24',
      }),
  }),
  fixed_time: z.strictObject({
    fixed_time: hhmm,
    tolerance_minutes: z
      .number()
      .min(0, 'expected 0 to 720 minutes')
      .max(720, 'expected 0 to 720 minutes'),
  }),
  game_aware: z.strictObject({
    hours_before_first_game: z.number().min(0, 'expected 0 or more hours'),
    frequency_hours: z.number().positive('expected more than 0 hours'),
  }),
  discovery: z.strictObject({
    max_attempts_per_day: z
      .number()
      .int('expected an integer >= 1')
      .min(1, 'expected an integer >= 1'),
    min_interval_hours: z.number().positive('expected more than 0 hours'),
  }),
} as const;

export type RawScraper = z.infer<typeof rawScraperSchema>;
export type RawWorkflow = z.infer<typeof rawWorkflowSchema>;
export type RawStep = z.infer<typeof rawStepSchema>;

/** `path: message` lines of a zod error, paths relative to `prefix`. */
export function zodProblems(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    // A bad record key: say what is wrong with the key rather than "Invalid key in record".
    const message =
      issue.code === 'invalid_key' && issue.issues.length > 0
        ? issue.issues.map((inner) => inner.message).join('; ')
        : issue.message;
    return path ? `${path}: ${message}` : message;
  });
}

/** A YYYY-MM-DD that is a real calendar date (2026-02-30 is not). */
export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a local date YYYY-MM-DD')
  .refine(isCalendarDate, 'expected a real date')
  .refine(isWithinSupportedYears, OUTSIDE_SUPPORTED_YEARS);
