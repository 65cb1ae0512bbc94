import { TABLE_LAYOUTS, type AnalyticsTable } from '../analytics-rows.js';

/** One BigQuery column (the REST `TableFieldSchema` subset Shotclock uses). */
export interface BigQueryField {
  name: string;
  type: 'STRING' | 'TIMESTAMP' | 'INTEGER' | 'FLOAT';
  mode: 'REQUIRED' | 'NULLABLE' | 'REPEATED';
}

/** What a table must look like in BigQuery: columns, day partitioning, clustering. */
export interface BigQueryTableSpec {
  table: AnalyticsTable;
  fields: readonly BigQueryField[];
  partitionField: string;
  clusteringFields: readonly string[];
}

const required = (name: string, type: BigQueryField['type']): BigQueryField => ({
  name,
  type,
  mode: 'REQUIRED',
});
const nullable = (name: string, type: BigQueryField['type']): BigQueryField => ({
  name,
  type,
  mode: 'NULLABLE',
});
const repeated = (name: string): BigQueryField => ({ name, type: 'STRING', mode: 'REPEATED' });

/**
 * `context` is a STRING holding JSON text, not a JSON column: a JSON column loaded from
 * newline-delimited JSON takes a string value as a JSON string scalar, so the text would need
 * re-encoding on export; JSON_VALUE(context, '$.hour_key') works on both.
 */
const DECISION_FIELDS: readonly BigQueryField[] = [
  required('decision_id', 'STRING'),
  required('decision_time', 'TIMESTAMP'),
  required('workflow_name', 'STRING'),
  required('action', 'STRING'),
  nullable('reason', 'STRING'),
  nullable('context', 'STRING'),
  repeated('scrapers_triggered'),
  repeated('target_games'),
  nullable('next_check_time', 'TIMESTAMP'),
  nullable('priority', 'STRING'),
  nullable('alert_level', 'STRING'),
  nullable('controller_version', 'STRING'),
  nullable('environment', 'STRING'),
  nullable('triggered_by', 'STRING'),
  required('created_at', 'TIMESTAMP'),
];

const EXECUTION_FIELDS: readonly BigQueryField[] = [
  required('execution_id', 'STRING'),
  required('execution_time', 'TIMESTAMP'),
  required('workflow_name', 'STRING'),
  nullable('decision_id', 'STRING'),
  repeated('scrapers_requested'),
  nullable('scrapers_triggered', 'INTEGER'),
  nullable('scrapers_succeeded', 'INTEGER'),
  nullable('scrapers_failed', 'INTEGER'),
  repeated('scraper_execution_ids'),
  nullable('status', 'STRING'),
  nullable('duration_seconds', 'FLOAT'),
  nullable('error_message', 'STRING'),
  nullable('environment', 'STRING'),
  required('created_at', 'TIMESTAMP'),
];

const FIELDS: Readonly<Record<AnalyticsTable, readonly BigQueryField[]>> = {
  workflow_decisions: DECISION_FIELDS,
  workflow_executions: EXECUTION_FIELDS,
};

export function tableSpec(table: AnalyticsTable): BigQueryTableSpec {
  const layout = TABLE_LAYOUTS[table];
  return {
    table,
    fields: FIELDS[table],
    partitionField: layout.partitionColumn,
    clusteringFields: layout.clustering,
  };
}

const MS_PER_DAY = 86_400_000;

/** The REST `Table` body of a new table: day partitions that expire, a required partition filter. */
export function tableCreationBody(spec: BigQueryTableSpec, partitionExpirationDays: number) {
  return {
    schema: { fields: spec.fields.map((field) => ({ ...field })) },
    timePartitioning: {
      type: 'DAY',
      field: spec.partitionField,
      expirationMs: String(partitionExpirationDays * MS_PER_DAY),
    },
    clustering: { fields: [...spec.clusteringFields] },
    requirePartitionFilter: true,
  };
}
