/**
 * The analytics tables in their production schemas (BigQuery column names and types). Dates and
 * times are ISO strings (TIMESTAMP in BigQuery); JSON columns hold a JSON text.
 */
export const ANALYTICS_TABLES = ['workflow_decisions', 'workflow_executions'] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/** Partitioned by day on decision_time; clustered by workflow_name, action, alert_level. */
export interface DecisionRow {
  /** Natural id: `<evaluation_id>:<workflow_name>`. */
  decision_id: string;
  decision_time: string;
  workflow_name: string;
  action: string;
  reason: string;
  /** JSON text (STRING/JSON column): evaluation id, hour key, time zone, decision type. */
  context: string;
  scrapers_triggered: string[];
  target_games: string[];
  next_check_time: string | null;
  priority: string;
  alert_level: string;
  controller_version: string;
  environment: string;
  triggered_by: string;
  created_at: string;
}

/** Partitioned by day on execution_time; clustered by workflow_name, status. */
export interface ExecutionRow {
  /** Natural id: the execution id. */
  execution_id: string;
  execution_time: string;
  workflow_name: string;
  decision_id: string | null;
  scrapers_requested: string[];
  scrapers_triggered: number;
  scrapers_succeeded: number;
  scrapers_failed: number;
  scraper_execution_ids: string[];
  status: string;
  duration_seconds: number | null;
  error_message: string | null;
  environment: string;
  created_at: string;
}

export interface AnalyticsRows {
  workflow_decisions: DecisionRow;
  workflow_executions: ExecutionRow;
}

/** How each table is laid out (what BigQuery must match; the embedded sink mirrors it). */
export interface TableLayout {
  table: AnalyticsTable;
  naturalId: string;
  partitionColumn: string;
  clustering: readonly string[];
}

export const TABLE_LAYOUTS: Readonly<Record<AnalyticsTable, TableLayout>> = {
  workflow_decisions: {
    table: 'workflow_decisions',
    naturalId: 'decision_id',
    partitionColumn: 'decision_time',
    clustering: ['workflow_name', 'action', 'alert_level'],
  },
  workflow_executions: {
    table: 'workflow_executions',
    naturalId: 'execution_id',
    partitionColumn: 'execution_time',
    clustering: ['workflow_name', 'status'],
  },
};
