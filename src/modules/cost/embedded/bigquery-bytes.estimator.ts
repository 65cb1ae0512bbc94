import type { ColumnSpec } from '../analytics-columns.js';

/** BigQuery bills at least 10 MB (MiB) per table referenced by a query. */
export const MIN_BILLED_BYTES_PER_TABLE = 10 * 1024 * 1024;
/** On-demand bytes are rounded up to the next MB (MiB) per table. */
export const BILLING_ROUNDING_BYTES = 1024 * 1024;

/** Inclusive UTC days (`YYYY-MM-DD`) a query reads; null = unbounded on that side. */
export interface PartitionRange {
  from: string | null;
  to: string | null;
}

export const ALL_PARTITIONS: PartitionRange = { from: null, to: null };

const FIXED_BYTES: Record<Exclude<ColumnSpec['type'], 'STRING' | 'JSON'>, number> = {
  INT64: 8,
  FLOAT64: 8,
  TIMESTAMP: 8,
  BOOL: 1,
};

function scalarBytes(type: ColumnSpec['type'], value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (type === 'STRING') return 2 + Buffer.byteLength(String(value), 'utf8');
  if (type === 'JSON') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return Buffer.byteLength(text, 'utf8');
  }
  return FIXED_BYTES[type];
}

/**
 * Size of one value as BigQuery counts it: STRING 2 + UTF-8 bytes, INT64/FLOAT64/TIMESTAMP 8,
 * BOOL 1, JSON the bytes of its text, NULL 0; a REPEATED value is the sum of its elements.
 */
export function valueBytes(spec: ColumnSpec, value: unknown): number {
  if (spec.mode === 'REPEATED') {
    if (!Array.isArray(value)) return 0;
    return value.reduce(
      (total: number, element: unknown) => total + scalarBytes(spec.type, element),
      0,
    );
  }
  return scalarBytes(spec.type, value);
}

/** Whether the UTC day of an ISO timestamp (its first 10 characters) is inside the range. */
export function inPartitionRange(timestamp: unknown, range: PartitionRange): boolean {
  if (typeof timestamp !== 'string') return range.from === null && range.to === null;
  const day = timestamp.slice(0, 10);
  return (range.from === null || day >= range.from) && (range.to === null || day <= range.to);
}

export interface TableScan {
  rows: ReadonlyArray<Record<string, unknown>>;
  /** The referenced columns and their types (only these are read, as in a columnar store). */
  columns: Readonly<Record<string, ColumnSpec>>;
  partitionColumn: string;
  range: PartitionRange;
}

/**
 * Bytes a query processes in one table: the sizes of the referenced columns of the rows whose
 * partition (UTC day of the partition column) is inside the range. Pure: rows in, bytes out.
 */
export function estimateScanBytes(scan: TableScan): number {
  const specs = Object.entries(scan.columns);
  let total = 0;
  for (const row of scan.rows) {
    if (!inPartitionRange(row[scan.partitionColumn], scan.range)) continue;
    for (const [column, spec] of specs) total += valueBytes(spec, row[column]);
  }
  return total;
}

/** Billed bytes of one table's scan: rounded up to the next MiB, at least `minimum` (10 MiB). */
export function billedTableBytes(
  processedBytes: number,
  minimum: number = MIN_BILLED_BYTES_PER_TABLE,
): number {
  const rounded = Math.ceil(processedBytes / BILLING_ROUNDING_BYTES) * BILLING_ROUNDING_BYTES;
  return Math.max(rounded, minimum);
}
