import type { TimeoutConfig } from '../../../common/config/timeout.config.js';
import type { AnalyticsTable } from '../analytics-rows.js';
import type { QueryRange } from './query-range.js';
import type { TableSource } from './table-source.js';

/** What a named query's presentation step may use besides its rows. */
export interface PresentContext {
  now: Date;
  timeouts: Pick<TimeoutConfig, 'missingExecutionRecentMs' | 'missingExecutionDelayedMs'>;
}

/**
 * A table another system loads (not one of Shotclock's analytics tables): read on BigQuery only,
 * in the project of BIGQUERY_PROJECT_ID. No export watermark says when its rows change, so an
 * answer is reused for a fixed age.
 */
export interface ExternalTable {
  /** `dataset.table`; the SQL names it as `{project}.<dataset.table>`. */
  table: string;
  /** How long an answer is reused (still capped by QUERY_CACHE_TTL_SECONDS). */
  maxAgeMs: number;
}

/**
 * One analytics query of the catalogue. Its SQL reads only the days of a range, bound as
 * `@from_time`/`@until_time` by the application, so its text never asks the database for the
 * time: BigQuery's own result cache stays usable and the partition filter prunes. Whatever depends
 * on the current time (the last hour, ages) happens in `present`, after the (cached) rows.
 */
export interface NamedQuery<Out = unknown> {
  name: string;
  description: string;
  /** Tables it reads; the cache key holds their export watermarks over the range. */
  tables: readonly AnalyticsTable[];
  /** The range used when the caller gives none. */
  defaultRange(now: Date): QueryRange;
  sql(source: TableSource): string;
  present(rows: ReadonlyArray<Record<string, unknown>>, context: PresentContext): Out;
  /** The parameters bound for a range; default `rangeParams` (@from_time/@until_time). */
  params?(range: QueryRange): Record<string, string>;
  /** Set for a query over a table Shotclock does not load (then `tables` is empty). */
  external?: ExternalTable;
}
