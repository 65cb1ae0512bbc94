import type { Holds, SameEventTypes, TypedEvent } from '../../common/event-store/index.js';
import type { AnalyticsTable } from './analytics-rows.js';

/** Events of the analytics export and queries; the cost ledger and the query cache read them. */
export const ANALYTICS_EVENTS = {
  loadCompleted: 'AnalyticsLoadCompleted',
  queryRan: 'AnalyticsQueryRan',
} as const;

/** One stream per UTC day of loads: `analytics-loads-<YYYY-MM-DD>`. */
export const analyticsLoadsStream = (day: string) => `analytics-loads-${day}`;

/** One stream per UTC day of named-query requests: `analytics-queries-<YYYY-MM-DD>`. */
export const analyticsQueriesStream = (day: string) => `analytics-queries-${day}`;

/** One load job (or embedded transaction) that wrote `rows` rows into `table`. */
export interface AnalyticsLoadCompleted {
  table: AnalyticsTable;
  rows: number;
  bytes: number;
  job_id: string | null;
  /** true when `bytes` is computed the way BigQuery counts it (embedded sink). */
  estimated: boolean;
  duration_ms: number;
  at: string;
  /**
   * Rows per partition day (UTC day of the partition column) the load wrote: the query cache's
   * watermark. Absent in loads recorded before it existed (treated as touching every day).
   */
  partitions?: Record<string, number>;
}

/** One named-query request: answered from the application cache, or by a query job. */
export interface AnalyticsQueryRan {
  query_name: string;
  labels: Record<string, string>;
  range: { from: string; to: string };
  /** hit: no job ran; miss: a job ran and its rows were cached; off: caching disabled. */
  app_cache: 'hit' | 'miss' | 'off';
  dry_run: boolean;
  job_id: string | null;
  bytes_processed: number;
  bytes_billed: number;
  bigquery_cache_hit: boolean;
  duration_ms: number;
  /** true when the bytes are the embedded sink's estimate of what BigQuery would bill. */
  estimated: boolean;
  at: string;
}

/** Every analytics event: `switch (event.type)` narrows `event.data`. */
export type AnalyticsEvent =
  | TypedEvent<typeof ANALYTICS_EVENTS.loadCompleted, AnalyticsLoadCompleted>
  | TypedEvent<typeof ANALYTICS_EVENTS.queryRan, AnalyticsQueryRan>;

type _EveryAnalyticsEvent = Holds<SameEventTypes<AnalyticsEvent, typeof ANALYTICS_EVENTS>>;
