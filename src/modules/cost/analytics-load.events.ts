import type { AnalyticsTable } from './analytics-rows.js';

/** Events of the analytics export; the cost ledger sums them. */
export const ANALYTICS_EVENTS = {
  loadCompleted: 'AnalyticsLoadCompleted',
} as const;

/** One stream per UTC day of loads: `analytics-loads-<YYYY-MM-DD>`. */
export const analyticsLoadsStream = (day: string) => `analytics-loads-${day}`;

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
}
