import type { DecisionType, WorkflowSchedule } from '../workflow-config.types.js';
import { parseTolerant, type TolerantResult } from './tolerant-parse.js';
import { scheduleSchemas } from './workflows-config.schema.js';

/**
 * A workflow's raw `schedule` for its decision type. A key of another decision type's schedule
 * (or any unknown key) is a warning at `<path>.<key>`; problems are `schedule.<field>: message`.
 */
export function parseSchedule(
  decisionType: DecisionType,
  raw: Record<string, unknown>,
  path: string,
): TolerantResult<WorkflowSchedule> {
  const options = {
    problemPrefix: 'schedule',
    unknownKeyMessage: `not a schedule key of decision_type ${decisionType}; ignored`,
  };
  const parsed = <T>(schema: Parameters<typeof parseTolerant<T>>[0]) =>
    parseTolerant(schema, raw, path, options);
  switch (decisionType) {
    case 'self_aware':
      return map(parsed(scheduleSchemas.self_aware), (s) => ({
        kind: 'self_aware',
        idealWindow: { startHour: s.ideal_window.start_hour, endHour: s.ideal_window.end_hour },
        runOnceDaily: s.run_once_daily,
      }));
    case 'fixed_time':
      return map(parsed(scheduleSchemas.fixed_time), (s) => ({
        kind: 'fixed_time',
        fixedTime: s.fixed_time,
        toleranceMinutes: s.tolerance_minutes,
      }));
    case 'game_aware':
      return map(parsed(scheduleSchemas.game_aware), (s) => ({
        kind: 'game_aware',
        windowBeforeGameHours: s.window_before_game_hours,
        businessHours: { start: s.business_hours.start, end: s.business_hours.end },
        frequencyHours: s.frequency_hours,
      }));
    case 'game_aware_yesterday':
      return map(parsed(scheduleSchemas.game_aware_yesterday), (s) => ({
        kind: 'game_aware_yesterday',
        fixedTime: s.fixed_time,
        toleranceMinutes: s.tolerance_minutes,
      }));
    case 'game_aware_early':
      return map(parsed(scheduleSchemas.game_aware_early), (s) => ({
        kind: 'game_aware_early',
        fixedTime: s.fixed_time,
        toleranceMinutes: s.tolerance_minutes,
        earlyGameCutoffHour: s.early_game_cutoff_hour,
        collectionDelayHours: s.collection_delay_hours,
      }));
    case 'discovery':
      return map(parsed(scheduleSchemas.discovery), (s) => ({
        kind: 'discovery',
        maxAttemptsPerDay: s.max_attempts_per_day,
        retryIntervalHours: s.retry_interval_hours,
        requiresGameDay: s.requires_game_day,
        discoveryDurationWeeks: s.discovery_duration_weeks ?? null,
      }));
  }
}

function map<T>(
  result: TolerantResult<T>,
  toSchedule: (raw: T) => WorkflowSchedule,
): TolerantResult<WorkflowSchedule> {
  return result.ok ? { ...result, data: toSchedule(result.data) } : result;
}
