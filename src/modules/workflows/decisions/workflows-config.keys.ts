/**
 * Every key of the production workflows file and what Shotclock does with it: `used` (it changes
 * what Shotclock does), `shown` (accepted, validated and shown at GET /v1/workflows/config, no
 * effect) or `ignored` (accepted without a warning, neither used nor shown: it only repeats the
 * decision type). Any other key is an unknown key: a warning, never a refusal.
 */
export type KeyUse = 'used' | 'shown' | 'ignored';

export interface ConfigKey {
  key: string;
  use: KeyUse;
  note: string;
}

const key = (path: string, use: KeyUse, note: string): ConfigKey => ({ key: path, use, note });
const S = 'workflows.<name>.schedule';

export const CONFIG_KEYS: readonly ConfigKey[] = [
  key('version', 'shown', 'on WORKFLOWS_DEFINITION (version)'),
  key(
    'environment',
    'used',
    'WORKFLOWS_DEFINITION, WORKFLOWS_SETTINGS: for /health, analytics rows, query labels',
  ),
  key('settings.timezone', 'used', 'every decision is taken in this zone'),
  key('settings.controller_interval_minutes', 'used', 'one evaluation slot (frequency checks)'),
  key('settings.schedule_refresh_interval_hours', 'used', 'refresh of the BigQuery game schedule'),
  key('settings.daily_schedule_lock.enabled', 'shown', 'Shotclock decides hourly, no daily lock'),
  key('settings.daily_schedule_lock.generation_time', 'shown', 'idem'),
  key('settings.cleanup_processor.*', 'shown', "not Shotclock's job"),
  key('settings.scraper_timeouts.default', 'used', 'HTTP bound of a scraper call (seconds)'),
  key('settings.scraper_timeouts.future_overhead', 'used', 'added for the whole call (seconds)'),
  key('settings.scraper_timeouts.overrides.<scraper>', 'used', 'HTTP bound of that scraper'),
  key('settings.monitoring.*', 'shown', 'as written'),
  key('settings.notifications.email_enabled', 'shown', 'email is not supported: a boot warning'),
  key('settings.notifications.slack_enabled', 'shown', 'Slack delivery follows SLACK_WEBHOOK_URL'),
  key('settings.notifications.critical_channels', 'shown', 'idem'),
  key('settings.notifications.warning_channels', 'shown', 'idem'),
  key('scrapers.<key>.name', 'used', 'must equal the key'),
  key('scrapers.<key>.description', 'shown', ''),
  key('scrapers.<key>.module', 'shown', ''),
  key('scrapers.<key>.critical', 'used', 'require_all_critical and execution status'),
  key('scrapers.<key>.processor_name', 'shown', ''),
  key('scrapers.<key>.estimated_duration_seconds', 'shown', ''),
  key('scrapers.<key>.treat_no_data_as_success', 'used', 'a 0-row answer counts as success'),
  key('scrapers.<key>.depends_on', 'used', 'string or list: call order and inputs'),
  key('scrapers.<key>.dependency_for', 'used', 'checked against depends_on (mismatch: warning)'),
  key('workflows.<name>.enabled', 'used', ''),
  key('workflows.<name>.priority', 'used', 'evaluation order, decisions, analytics'),
  key('workflows.<name>.decision_type', 'used', ''),
  key('workflows.<name>.description', 'shown', ''),
  key(`${S}.ideal_window`, 'used', 'self_aware'),
  key(`${S}.run_once_daily`, 'used', 'self_aware (default true)'),
  key(`${S}.fixed_time`, 'used', 'fixed_time, game_aware_yesterday, game_aware_early'),
  key(`${S}.tolerance_minutes`, 'used', 'idem'),
  key(`${S}.game_aware`, 'ignored', 'repeats decision_type'),
  key(`${S}.window_before_game_hours`, 'used', 'game_aware'),
  key(`${S}.business_hours`, 'used', 'game_aware (default 0-24)'),
  key(`${S}.frequency_hours`, 'used', 'game_aware'),
  key(`${S}.target_date`, 'used', 'yesterday / today, must match decision_type'),
  key(`${S}.early_game_cutoff_hour`, 'used', 'game_aware_early'),
  key(`${S}.collection_delay_hours`, 'used', 'game_aware_early'),
  key(`${S}.discovery_mode`, 'ignored', 'repeats decision_type'),
  key(`${S}.max_attempts_per_day`, 'used', 'discovery'),
  key(`${S}.retry_interval_hours`, 'used', 'discovery'),
  key(`${S}.requires_game_day`, 'used', 'discovery (default false)'),
  key(`${S}.discovery_duration_weeks`, 'shown', 'discovery'),
  key('workflows.<name>.execution_plan', 'used', 'single / parallel / sequential / step_N'),
  key(
    'workflows.<name>.execution_plan.<step>.depends_on',
    'used',
    'earlier steps or their scrapers',
  ),
  key('workflows.<name>.alerts.failure', 'used', 'level of the alert when an execution fails'),
  key('workflows.<name>.alerts.timing_drift', 'used', 'a run starts outside its window'),
  key('workflows.<name>.alerts.max_attempts_reached', 'used', 'discovery gives up for the day'),
  key('workflows.<name>.alerts.missing_games', 'shown', ''),
  key('workflows.<name>.alerts.quota_warning_pct', 'shown', ''),
  key('workflows.<name>.alerts.discovery_complete', 'shown', ''),
  key('workflows.<name>.dependencies.requires', 'shown', 'a name that is not a workflow: warning'),
  key('workflows.<name>.dependencies.required_for', 'shown', 'idem'),
  key('workflows.<name>.execution_mode', 'used', 'Shotclock (ENABLE_PARALLEL_CONFIG)'),
  key('workflows.<name>.max_workers', 'used', 'Shotclock (ENABLE_PARALLEL_CONFIG)'),
  key('workflows.<name>.require_all_critical', 'used', 'Shotclock'),
];
