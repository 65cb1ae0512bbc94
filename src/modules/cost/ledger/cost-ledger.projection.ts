import { defineProjection } from '../../../common/projections/projection-definition.js';
import {
  ANALYTICS_EVENTS,
  type AnalyticsEvent,
  type AnalyticsQueryRan,
} from '../analytics-load.events.js';

export const COST_LEDGER = 'cost_ledger';

/** `<day>/query/<name>` and `<day>/export/<table>`: string order is day order. */
export const ledgerQueryKey = (day: string, name: string) => `${day}/query/${name}`;
export const ledgerExportKey = (day: string, table: string) => `${day}/export/${table}`;

export interface QueryLedgerEntry extends Record<string, unknown> {
  kind: 'query';
  day: string;
  query_name: string;
  /** Requests answered (jobs + application-cache hits), dry runs not included. */
  requests: number;
  /** Query jobs run (application-cache misses, or every request with caching off). */
  jobs: number;
  app_cache_hits: number;
  bigquery_cache_hits: number;
  dry_runs: number;
  bytes_processed: number;
  bytes_billed: number;
  /** Whether any of the bytes are estimates (embedded sink). */
  estimated: boolean;
}

export interface ExportLedgerEntry extends Record<string, unknown> {
  kind: 'export';
  day: string;
  table: string;
  loads: number;
  rows: number;
  bytes: number;
  estimated: boolean;
}

const emptyQuery = (day: string, name: string): QueryLedgerEntry => ({
  kind: 'query',
  day,
  query_name: name,
  requests: 0,
  jobs: 0,
  app_cache_hits: 0,
  bigquery_cache_hits: 0,
  dry_runs: 0,
  bytes_processed: 0,
  bytes_billed: 0,
  estimated: false,
});

function addQuery(entry: QueryLedgerEntry, ran: AnalyticsQueryRan): QueryLedgerEntry {
  if (ran.dry_run) return { ...entry, dry_runs: entry.dry_runs + 1 };
  const hit = ran.app_cache === 'hit';
  return {
    ...entry,
    requests: entry.requests + 1,
    jobs: entry.jobs + (hit ? 0 : 1),
    app_cache_hits: entry.app_cache_hits + (hit ? 1 : 0),
    bigquery_cache_hits: entry.bigquery_cache_hits + (ran.bigquery_cache_hit ? 1 : 0),
    bytes_processed: entry.bytes_processed + ran.bytes_processed,
    bytes_billed: entry.bytes_billed + ran.bytes_billed,
    estimated: entry.estimated || (!hit && ran.estimated),
  };
}

/** Per UTC day: each named query's requests, jobs and bytes, and each table's export loads. */
export const costLedgerProjection = defineProjection<AnalyticsEvent>()({
  name: 'cost-ledger',
  eventTypes: [ANALYTICS_EVENTS.queryRan, ANALYTICS_EVENTS.loadCompleted],
  collections: [COST_LEDGER],
  async apply(event, tx) {
    if (event.type === ANALYTICS_EVENTS.queryRan) {
      const ran = event.data;
      const day = ran.at.slice(0, 10);
      const key = ledgerQueryKey(day, ran.query_name);
      const current = await tx.get<QueryLedgerEntry>(COST_LEDGER, key);
      await tx.put(COST_LEDGER, key, addQuery(current ?? emptyQuery(day, ran.query_name), ran));
      return;
    }
    const load = event.data;
    const day = load.at.slice(0, 10);
    const key = ledgerExportKey(day, load.table);
    const current = await tx.get<ExportLedgerEntry>(COST_LEDGER, key);
    await tx.put(COST_LEDGER, key, {
      kind: 'export',
      day,
      table: load.table,
      loads: (current?.loads ?? 0) + 1,
      rows: (current?.rows ?? 0) + load.rows,
      bytes: (current?.bytes ?? 0) + load.bytes,
      estimated: (current?.estimated ?? false) || load.estimated,
    } satisfies ExportLedgerEntry);
  },
});
