import type { AnalyticsRows, AnalyticsTable } from './analytics-rows.js';

/** BigQuery column types used by the analytics tables. */
export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'TIMESTAMP' | 'BOOL' | 'JSON';
export type ColumnMode = 'REQUIRED' | 'NULLABLE' | 'REPEATED';

export interface ColumnSpec {
  type: ColumnType;
  mode: ColumnMode;
}

type TableColumns<T extends AnalyticsTable> = Record<keyof AnalyticsRows[T] & string, ColumnSpec>;

const required = (type: ColumnType): ColumnSpec => ({ type, mode: 'REQUIRED' });
const nullable = (type: ColumnType): ColumnSpec => ({ type, mode: 'NULLABLE' });
const repeated = (type: ColumnType): ColumnSpec => ({ type, mode: 'REPEATED' });

/**
 * The production column types of each table (what the embedded sink uses to estimate bytes the
 * way BigQuery bills them). Typed against the row interfaces, so a new row field needs a type here.
 */
export const TABLE_COLUMNS: { readonly [T in AnalyticsTable]: Readonly<TableColumns<T>> } = {
  workflow_decisions: {
    decision_id: required('STRING'),
    decision_time: required('TIMESTAMP'),
    workflow_name: required('STRING'),
    action: required('STRING'),
    reason: nullable('STRING'),
    // JSON text in a STRING column, as in BigQuery (bigquery/analytics-schema.ts).
    context: nullable('STRING'),
    scrapers_triggered: repeated('STRING'),
    target_games: repeated('STRING'),
    next_check_time: nullable('TIMESTAMP'),
    priority: nullable('STRING'),
    alert_level: nullable('STRING'),
    controller_version: nullable('STRING'),
    environment: nullable('STRING'),
    triggered_by: nullable('STRING'),
    created_at: required('TIMESTAMP'),
  },
  workflow_executions: {
    execution_id: required('STRING'),
    execution_time: required('TIMESTAMP'),
    workflow_name: required('STRING'),
    decision_id: nullable('STRING'),
    scrapers_requested: repeated('STRING'),
    scrapers_triggered: nullable('INT64'),
    scrapers_succeeded: nullable('INT64'),
    scrapers_failed: nullable('INT64'),
    scraper_execution_ids: repeated('STRING'),
    status: required('STRING'),
    duration_seconds: nullable('FLOAT64'),
    error_message: nullable('STRING'),
    environment: nullable('STRING'),
    created_at: required('TIMESTAMP'),
  },
};

/** Column names of a table, in schema order. */
export function columnNames(table: AnalyticsTable): string[] {
  return Object.keys(TABLE_COLUMNS[table]);
}

/** The spec of one column of a table (any table: the estimator works on column names). */
export function columnSpec(table: AnalyticsTable, column: string): ColumnSpec | undefined {
  return (TABLE_COLUMNS[table] as Record<string, ColumnSpec>)[column];
}
