import { TABLE_LAYOUTS, type AnalyticsTable } from '../analytics-rows.js';

/**
 * A subquery over one analytics table keeping one row per natural id (the latest by
 * created_at). BigQuery loads append, so a batch loaded twice (a replay after an unclear
 * failure) holds duplicates; queries read through this instead of the bare table.
 * `partitionFilter` must constrain the partition column (the tables require a partition filter,
 * and a filter outside the window is not pushed below it), e.g.
 * `DATE(decision_time) BETWEEN @from AND @to`. `{dataset}` is replaced by the sink.
 */
export function latestRowsSql(table: AnalyticsTable, partitionFilter: string): string {
  const layout = TABLE_LAYOUTS[table];
  return (
    `(SELECT * FROM {dataset}.${table} WHERE ${partitionFilter} ` +
    `QUALIFY ROW_NUMBER() OVER (PARTITION BY ${layout.naturalId} ORDER BY created_at DESC) = 1)`
  );
}
