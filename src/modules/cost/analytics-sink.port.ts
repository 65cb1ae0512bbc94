import type { AnalyticsRows, AnalyticsTable } from './analytics-rows.js';

/** What a sink says about one table at start: created, altered, fine, or unusable (and why). */
export interface TableReport {
  table: AnalyticsTable;
  outcome: 'created' | 'columns_added' | 'unchanged' | 'mismatch';
  /** For `mismatch`: what differs (partitioning, clustering), so it is reported, not silently used. */
  detail: string | null;
}

/** Statistics of one query or load job, as BigQuery reports them (or estimates them, embedded). */
export interface JobStatistics {
  jobId: string | null;
  totalBytesProcessed: number;
  totalBytesBilled: number;
  cacheHit: boolean;
  durationMs: number;
  /** true when the numbers are computed the way BigQuery bills, not reported by BigQuery. */
  estimated: boolean;
}

export interface QueryRequest {
  /** The named query's name (a job label). */
  name: string;
  /**
   * SQL with named parameters (`@from`, `@to`, ...), `{dataset}` for the dataset name and (BigQuery
   * only) `{project}` for the project id, e.g. `` `{project}.nba_raw.nbac_schedule` ``.
   */
  sql: string;
  params: Record<string, string | number>;
  /** Query job labels, e.g. {module, query_name, env}. */
  labels: Record<string, string>;
  maximumBytesBilled: number;
  dryRun?: boolean;
}

export interface QueryResult {
  rows: Array<Record<string, unknown>>;
  statistics: JobStatistics;
}

export interface LoadResult {
  rows: number;
  bytes: number;
  statistics: JobStatistics;
}

/** Where decisions and executions are exported to and queried from. */
export interface AnalyticsSink {
  readonly kind: 'embedded' | 'bigquery';
  /** Creates missing tables, adds new columns, reports layouts that differ. */
  ensureTables(): Promise<TableReport[]>;
  /** Writes rows; a row whose natural id exists replaces it (a replay never duplicates). */
  load<T extends AnalyticsTable>(
    table: T,
    rows: ReadonlyArray<AnalyticsRows[T]>,
  ): Promise<LoadResult>;
  query(request: QueryRequest): Promise<QueryResult>;
}

export const ANALYTICS_SINK = Symbol('ANALYTICS_SINK');
