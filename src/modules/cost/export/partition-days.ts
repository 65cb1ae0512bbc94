import { TABLE_LAYOUTS, type AnalyticsRows, type AnalyticsTable } from '../analytics-rows.js';

/** Rows per partition day (UTC day of the table's partition column) of a batch of rows. */
export function partitionDays<T extends AnalyticsTable>(
  table: T,
  rows: ReadonlyArray<AnalyticsRows[T]>,
): Record<string, number> {
  const column = TABLE_LAYOUTS[table].partitionColumn;
  const days: Record<string, number> = {};
  for (const row of rows) {
    const value = (row as unknown as Record<string, unknown>)[column];
    const day = typeof value === 'string' ? value.slice(0, 10) : 'unknown';
    days[day] = (days[day] ?? 0) + 1;
  }
  return days;
}
