import { TABLE_LAYOUTS, type AnalyticsTable } from '../analytics-rows.js';
import { latestRowsSql } from '../bigquery/latest-rows.sql.js';

/** A FROM item reading one analytics table's rows of the query's range (in parentheses). */
export type TableSource = (table: AnalyticsTable) => string;

/** The filter on the table's partition column that every named query's source carries. */
export const partitionFilter = (table: AnalyticsTable) => {
  const column = TABLE_LAYOUTS[table].partitionColumn;
  return `${column} >= @from_time AND ${column} < @until_time`;
};

/**
 * BigQuery loads append, so a replayed batch leaves duplicates: read the latest row per natural
 * id inside the partition filter.
 */
export const bigQuerySource: TableSource = (table) => latestRowsSql(table, partitionFilter(table));

/** The embedded sink upserts by natural id: the filtered table is already one row per id. */
export const embeddedSource: TableSource = (table) =>
  `(SELECT * FROM {dataset}.${table} WHERE ${partitionFilter(table)})`;

/** The same rows without a partition filter: what a full scan reads (cost reports, not served). */
export const fullScanSource: TableSource = (table) => `(SELECT * FROM {dataset}.${table})`;

export const sourceFor = (sink: 'embedded' | 'bigquery'): TableSource =>
  sink === 'bigquery' ? bigQuerySource : embeddedSource;
