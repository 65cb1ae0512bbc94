import { z } from 'zod';
import {
  isCalendarDate,
  isWithinSupportedYears,
  OUTSIDE_SUPPORTED_YEARS,
} from '../../../common/clock/calendar-days.js';
import { TEXT_LIMITS, tooLongProblem } from '../../../common/http/text-limits.js';

/**
 * The raw shape of config/workflows.yaml (production shape, snake_case, as written). Objects are
 * strict so that an unknown key can be reported (as a warning, see tolerant-parse.ts); field
 * ranges are checked here, cross-references (known scrapers, steps, cycles) in the validator.
 */
export const nameSchema = z
  .string()
  .max(TEXT_LIMITS.configName, `expected a name of ${tooLongProblem(TEXT_LIMITS.configName)}`)
  .regex(/^[A-Za-z0-9_.-]+$/, 'expected a name of letters, digits, _ . -');
const nameList = z.array(nameSchema);
/** Free text shown back (descriptions, module paths). */
const text = z
  .string()
  .max(TEXT_LIMITS.configText, `expected text of ${tooLongProblem(TEXT_LIMITS.configText)}`);
const hour = z.number().min(0, 'expected an hour 0-24').max(24, 'expected an hour 0-24');
const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM (00:00-23:59)');
const positiveHours = z.number().positive('expected more than 0 hours');
const count = z.number().int('expected a whole number >= 0').min(0, 'expected a whole number >= 0');

export const rawTopSchema = z.strictObject({
  version: z.string('expected a string such as "1.0"').optional(),
  // It becomes the `env` label of BigQuery jobs: lowercase letters, digits, _ and -, 1-63 long.
  environment: z
    .string()
    .regex(
      /^[a-z0-9_-]{1,63}$/,
      'expected 1-63 lowercase letters, digits, _ or - (e.g. production, dev)',
    )
    .optional(),
  settings: z.record(z.string(), z.unknown(), 'expected a map of settings'),
  // Names are checked per entry, so a bad one is reported once, with its entry.
  scrapers: z.record(z.string(), z.unknown(), 'expected a map of scraper name -> scraper'),
  workflows: z.record(z.string(), z.unknown(), 'expected a map of workflow name -> workflow'),
});

export const rawSettingsSchema = z.strictObject({
  timezone: z.string().min(1, 'expected an IANA time zone such as America/New_York'),
  controller_interval_minutes: z
    .number()
    .int('expected a whole number of minutes')
    .min(1, 'expected at least 1 minute')
    .max(1440, 'expected at most 1440 minutes (a day)')
    .default(60),
  schedule_refresh_interval_hours: positiveHours.optional(),
  daily_schedule_lock: z
    .strictObject({ enabled: z.boolean().default(false), generation_time: hhmm.optional() })
    .optional(),
  cleanup_processor: z
    .strictObject({
      enabled: z.boolean().default(false),
      interval_minutes: count.optional(),
      lookback_hours: z.number().min(0, 'expected 0 or more hours').optional(),
      min_file_age_minutes: count.optional(),
      notification_threshold: count.optional(),
    })
    .optional(),
  scraper_timeouts: z
    .strictObject({
      default: z.number().positive('expected more than 0 seconds').optional(),
      future_overhead: z.number().min(0, 'expected 0 or more seconds').optional(),
      overrides: z
        .record(nameSchema, z.number().positive('expected more than 0 seconds'))
        .default({}),
    })
    .optional(),
  // Open: whatever production monitors; shown as written.
  monitoring: z.record(z.string(), z.unknown(), 'expected a map').optional(),
  notifications: z
    .strictObject({
      email_enabled: z.boolean().default(false),
      slack_enabled: z.boolean().default(false),
      critical_channels: z.array(nameSchema).default([]),
      warning_channels: z.array(nameSchema).default([]),
    })
    .optional(),
});

export const rawScraperSchema = z.strictObject({
  name: nameSchema.optional(),
  description: text.optional(),
  module: text.optional(),
  critical: z.boolean().default(false),
  processor_name: z.string().min(1).nullable().optional(),
  estimated_duration_seconds: z.number().positive().nullable().optional(),
  treat_no_data_as_success: z.boolean().default(false),
  /** A string in production files, a list elsewhere. */
  depends_on: z
    .union([nameSchema, nameList], 'expected a scraper name or a list of them')
    .default([])
    .transform((value) => (typeof value === 'string' ? [value] : value)),
  dependency_for: nameList.default([]),
});

const stepType = z.enum(['single', 'parallel', 'sequential']);

/** `{type: single, scraper}` or `{type: parallel|sequential, scrapers: [...]}`. */
export const rawStepSchema = z.strictObject({
  type: stepType,
  scraper: nameSchema.optional(),
  scrapers: nameList.optional(),
  depends_on: nameList.default([]),
});

export const ALERT_LEVELS = ['CRITICAL', 'WARNING', 'INFO'] as const;
const alertLevel = z.enum(ALERT_LEVELS, 'expected CRITICAL, WARNING or INFO');
const levelOrNumber = z.union([text, z.number()], 'expected a level or a number');

export const DECISION_TYPES = [
  'fixed_time',
  'self_aware',
  'game_aware',
  'game_aware_yesterday',
  'game_aware_early',
  'discovery',
] as const;

export const rawWorkflowSchema = z.strictObject({
  enabled: z.boolean().default(true),
  priority: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']),
  decision_type: z.enum(DECISION_TYPES),
  description: text.optional(),
  schedule: z.record(z.string(), z.unknown()),
  /** A flat plan (has `type`) or named steps. */
  execution_plan: z.record(z.string(), z.unknown()),
  /**
   * condition -> level or number. The conditions Shotclock raises need a level, the others
   * production uses (missing_games, quota_warning_pct, discovery_complete) a level or a number;
   * an unknown condition is kept as written (a warning).
   */
  alerts: z
    .looseObject({
      failure: alertLevel.optional(),
      timing_drift: alertLevel.optional(),
      max_attempts_reached: alertLevel.optional(),
      missing_games: levelOrNumber.optional(),
      quota_warning_pct: levelOrNumber.optional(),
      discovery_complete: levelOrNumber.optional(),
    })
    .default({}),
  dependencies: z
    .strictObject({ requires: nameList.default([]), required_for: nameList.default([]) })
    .default({ requires: [], required_for: [] }),
  execution_mode: z.enum(['parallel', 'sequential']).optional(),
  max_workers: z
    .number()
    .int('expected an integer >= 1')
    .min(1, 'expected an integer >= 1')
    .default(10),
  require_all_critical: z.boolean().default(false),
});

/** The alert conditions Shotclock raises itself; any other condition is shown only. */
export const RAISED_ALERT_CONDITIONS = ['failure', 'timing_drift', 'max_attempts_reached'] as const;
/** Conditions production uses that Shotclock shows without raising. */
export const SHOWN_ALERT_CONDITIONS = [
  'missing_games',
  'quota_warning_pct',
  'discovery_complete',
] as const;

const fixedTime = {
  fixed_time: hhmm,
  tolerance_minutes: z
    .number()
    .min(0, 'expected 0 to 720 minutes')
    .max(720, 'expected 0 to 720 minutes'),
};
/** `game_aware: true` (and `discovery_mode: true`) repeat the decision type: accepted, not used. */
const gameAwareFlag = { game_aware: z.boolean().optional() };
export const scheduleSchemas = {
  self_aware: z.strictObject({
    ideal_window: z
      .strictObject({ start_hour: hour, end_hour: hour })
      .refine((w) => w.start_hour < w.end_hour, {
        message: 'expected 0 <= start_hour < end_hour <= 24',
      }),
    run_once_daily: z.boolean().default(true),
  }),
  fixed_time: z.strictObject(fixedTime),
  game_aware: z.strictObject({
    ...gameAwareFlag,
    window_before_game_hours: z.number().min(0, 'expected 0 or more hours'),
    business_hours: z
      .strictObject({ start: hour, end: hour })
      .refine((w) => w.start < w.end, { message: 'expected 0 <= start < end <= 24' })
      .default({ start: 0, end: 24 }),
    frequency_hours: positiveHours,
  }),
  game_aware_yesterday: z.strictObject({
    ...gameAwareFlag,
    target_date: z.literal('yesterday', 'expected yesterday for game_aware_yesterday').optional(),
    ...fixedTime,
  }),
  game_aware_early: z.strictObject({
    ...gameAwareFlag,
    target_date: z.literal('today', 'expected today for game_aware_early').optional(),
    ...fixedTime,
    early_game_cutoff_hour: hour,
    collection_delay_hours: z.number().min(0, 'expected 0 or more hours'),
  }),
  discovery: z.strictObject({
    discovery_mode: z.boolean().optional(),
    max_attempts_per_day: z
      .number()
      .int('expected an integer >= 1')
      .min(1, 'expected an integer >= 1'),
    retry_interval_hours: positiveHours,
    requires_game_day: z.boolean().default(false),
    discovery_duration_weeks: z.number().positive('expected more than 0 weeks').optional(),
  }),
} as const;

export type RawSettings = z.infer<typeof rawSettingsSchema>;
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
