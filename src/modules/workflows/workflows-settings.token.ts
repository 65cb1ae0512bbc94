import type { WorkflowsDefinition } from './workflow-config.types.js';

/**
 * What other modules read from config/workflows.yaml besides the workflows themselves: the
 * deployment `environment` (GET /health, the `environment` column of analytics rows, the `env`
 * label of query jobs) and `settings.schedule_refresh_interval_hours` (how long the BigQuery game
 * schedule's answer for a date is reused). Provided by WorkflowsConfigModule.
 */
export interface WorkflowsSettings {
  /** Top-level `environment`; DEFAULT_ENVIRONMENT when the file has none. */
  readonly environment: string;
  /**
   * `settings.schedule_refresh_interval_hours` as written; null when the file has none
   * (TIMEOUT_GAME_SCHEDULE_REFRESH_MS applies).
   */
  readonly scheduleRefreshIntervalHours: number | null;
}

export const WORKFLOWS_SETTINGS = Symbol('WORKFLOWS_SETTINGS');

/** What Shotclock wrote on rows and labels before the file named the environment. */
export const DEFAULT_ENVIRONMENT = 'production';

export function workflowsSettingsOf(
  definition: Pick<WorkflowsDefinition, 'environment' | 'scheduleRefreshIntervalHours'>,
): WorkflowsSettings {
  return {
    environment: definition.environment ?? DEFAULT_ENVIRONMENT,
    scheduleRefreshIntervalHours: definition.scheduleRefreshIntervalHours,
  };
}
