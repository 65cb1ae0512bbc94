import type { WorkflowDefinition, WorkflowSchedule } from '../workflow-config.types.js';

/** A workflow's normalised config, snake_case as in the file (GET /v1/workflows and /config). */
export function configSummary(workflow: WorkflowDefinition) {
  return {
    name: workflow.name,
    enabled: workflow.enabled,
    priority: workflow.priority,
    decision_type: workflow.decisionType,
    schedule: scheduleSummary(workflow.schedule),
    execution_mode: workflow.executionMode,
    max_workers: workflow.maxWorkers,
    require_all_critical: workflow.requireAllCritical,
    steps: workflow.steps.map((step) => ({
      name: step.name,
      type: step.type,
      scrapers: step.scrapers,
      depends_on: step.dependsOn,
    })),
  };
}

/** The schedule with its defaults, in the file's keys. */
export function scheduleSummary(schedule: WorkflowSchedule) {
  switch (schedule.kind) {
    case 'self_aware':
      return {
        ideal_window: {
          start_hour: schedule.idealWindow.startHour,
          end_hour: schedule.idealWindow.endHour,
        },
        run_once_daily: schedule.runOnceDaily,
      };
    case 'fixed_time':
    case 'game_aware_yesterday':
      return {
        ...(schedule.kind === 'game_aware_yesterday' ? { target_date: 'yesterday' } : {}),
        fixed_time: schedule.fixedTime,
        tolerance_minutes: schedule.toleranceMinutes,
      };
    case 'game_aware_early':
      return {
        target_date: 'today',
        fixed_time: schedule.fixedTime,
        tolerance_minutes: schedule.toleranceMinutes,
        early_game_cutoff_hour: schedule.earlyGameCutoffHour,
        collection_delay_hours: schedule.collectionDelayHours,
      };
    case 'game_aware':
      return {
        window_before_game_hours: schedule.windowBeforeGameHours,
        business_hours: { start: schedule.businessHours.start, end: schedule.businessHours.end },
        frequency_hours: schedule.frequencyHours,
      };
    case 'discovery':
      return {
        max_attempts_per_day: schedule.maxAttemptsPerDay,
        retry_interval_hours: schedule.retryIntervalHours,
        requires_game_day: schedule.requiresGameDay,
        discovery_duration_weeks: schedule.discoveryDurationWeeks,
      };
  }
}
