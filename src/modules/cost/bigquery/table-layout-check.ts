import type { BigQueryField, BigQueryTableSpec } from './analytics-schema.js';

/** The parts of a REST `Table` resource that the layout check reads. */
export interface ExistingTableMetadata {
  schema?: { fields?: ReadonlyArray<{ name: string }> };
  timePartitioning?: { type?: string; field?: string };
  clustering?: { fields?: readonly string[] };
}

export type TableLayoutCheck =
  | { outcome: 'mismatch'; detail: string }
  | { outcome: 'unchanged' }
  | { outcome: 'columns_added'; missingFields: BigQueryField[] };

/**
 * Compares an existing table with its spec: different partitioning or clustering is a mismatch
 * (the table is not used); columns the spec has and the table lacks are to be added (new columns
 * are always NULLABLE or REPEATED, so adding them never breaks existing rows).
 */
export function checkTableLayout(
  spec: BigQueryTableSpec,
  existing: ExistingTableMetadata,
): TableLayoutCheck {
  const problems: string[] = [];
  const partitionType = existing.timePartitioning?.type ?? 'none';
  const partitionField = existing.timePartitioning?.field ?? '_PARTITIONTIME';
  if (partitionType !== 'DAY' || partitionField !== spec.partitionField)
    problems.push(
      `partitioning is ${partitionType} on ${partitionField}, expected DAY on ${spec.partitionField}`,
    );
  const clustering = existing.clustering?.fields ?? [];
  if (clustering.join(',') !== spec.clusteringFields.join(','))
    problems.push(
      `clustering is [${clustering.join(', ')}], expected [${spec.clusteringFields.join(', ')}]`,
    );
  if (problems.length > 0)
    return {
      outcome: 'mismatch',
      detail: `${spec.table}: ${problems.join('; ')}; recreate the table or fix it by hand, the sink will not load into it`,
    };
  const present = new Set((existing.schema?.fields ?? []).map((field) => field.name));
  const missingFields = spec.fields
    .filter((field) => !present.has(field.name))
    .map((field) => ({ ...field, mode: field.mode === 'REPEATED' ? field.mode : 'NULLABLE' }))
    .map((field) => field as BigQueryField);
  return missingFields.length === 0
    ? { outcome: 'unchanged' }
    : { outcome: 'columns_added', missingFields };
}
