import type { AnalyticsTable } from '../analytics-rows.js';
import { TABLE_LAYOUTS } from '../analytics-rows.js';
import { TABLE_COLUMNS, type ColumnSpec } from '../analytics-columns.js';
import { embeddedTableName } from './embedded-query.translator.js';

/** SQLite type of a column: repeated and JSON columns hold JSON text, timestamps ISO text. */
export function sqliteType(spec: ColumnSpec): string {
  if (spec.mode === 'REPEATED') return 'TEXT';
  if (spec.type === 'INT64' || spec.type === 'BOOL') return 'INTEGER';
  if (spec.type === 'FLOAT64') return 'REAL';
  return 'TEXT';
}

export const partitionIndexName = (dataset: string, table: AnalyticsTable) =>
  `${embeddedTableName(dataset, table)}__partition`;

/** CREATE TABLE of a table: natural id as primary key, required columns NOT NULL. */
export function createTableSql(dataset: string, table: AnalyticsTable): string {
  const layout = TABLE_LAYOUTS[table];
  const columns = Object.entries(TABLE_COLUMNS[table] as Record<string, ColumnSpec>).map(
    ([name, spec]) =>
      `${name} ${sqliteType(spec)}${name === layout.naturalId ? ' PRIMARY KEY' : ''}${spec.mode === 'REQUIRED' ? ' NOT NULL' : ''}`,
  );
  return `CREATE TABLE "${embeddedTableName(dataset, table)}" (${columns.join(', ')})`;
}

/** The partition-and-clustering index: DATE(partition column), then the clustering columns. */
export function partitionIndexSql(dataset: string, table: AnalyticsTable): string {
  const layout = TABLE_LAYOUTS[table];
  const keys = [`DATE(${layout.partitionColumn})`, ...layout.clustering].join(', ');
  return `CREATE INDEX "${partitionIndexName(dataset, table)}" ON "${embeddedTableName(dataset, table)}" (${keys})`;
}

/** ALTER TABLE for a column missing from an existing table (always nullable: old rows lack it). */
export function addColumnSql(dataset: string, table: AnalyticsTable, column: string): string {
  const spec = (TABLE_COLUMNS[table] as Record<string, ColumnSpec>)[column]!;
  return `ALTER TABLE "${embeddedTableName(dataset, table)}" ADD COLUMN ${column} ${sqliteType(spec)}`;
}
