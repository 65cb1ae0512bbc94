import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { ANALYTICS_SINK, type AnalyticsSink } from '../analytics-sink.port.js';
import { addDays } from '../../../common/clock/calendar-days.js';
import type { QueryRange } from '../queries/query-range.js';
import {
  COST_LEDGER,
  type ExportLedgerEntry,
  type QueryLedgerEntry,
} from './cost-ledger.projection.js';
import { usdOf } from './usd.js';

type Totals = Pick<
  QueryLedgerEntry,
  | 'requests'
  | 'jobs'
  | 'app_cache_hits'
  | 'bigquery_cache_hits'
  | 'dry_runs'
  | 'bytes_processed'
  | 'bytes_billed'
> & { usd: number };

const zeroTotals = (): Totals => ({
  requests: 0,
  jobs: 0,
  app_cache_hits: 0,
  bigquery_cache_hits: 0,
  dry_runs: 0,
  bytes_processed: 0,
  bytes_billed: 0,
  usd: 0,
});

function addTo(totals: Totals, entry: QueryLedgerEntry & { usd: number }): void {
  totals.requests += entry.requests;
  totals.jobs += entry.jobs;
  totals.app_cache_hits += entry.app_cache_hits;
  totals.bigquery_cache_hits += entry.bigquery_cache_hits;
  totals.dry_runs += entry.dry_runs;
  totals.bytes_processed += entry.bytes_processed;
  totals.bytes_billed += entry.bytes_billed;
  totals.usd = Math.round((totals.usd + entry.usd) * 1e6) / 1e6;
}

/** GET /v1/cost: the ledger per UTC day, per named query and per exported table. */
@Injectable()
export class CostLedgerService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ANALYTICS_SINK) private readonly sink: AnalyticsSink,
  ) {}

  async report(range: QueryRange) {
    const price = this.config.analytics.bigqueryPricePerTibUsd;
    const entries = await this.storage.readModels.list<QueryLedgerEntry | ExportLedgerEntry>(
      COST_LEDGER,
      { after: `${addDays(range.from, -1)}/~`, until: `${range.to}/~` },
    );
    const days = new Map<
      string,
      {
        queries: Array<QueryLedgerEntry & { usd: number }>;
        exports: ExportLedgerEntry[];
        totals: Totals;
      }
    >();
    const totals = zeroTotals();
    const exportTotals = { loads: 0, rows: 0, bytes: 0 };
    for (const { doc } of entries) {
      const day = days.get(doc.day) ?? { queries: [], exports: [], totals: zeroTotals() };
      days.set(doc.day, day);
      if (doc.kind === 'query') {
        const priced = { ...doc, usd: usdOf(doc.bytes_billed, price) };
        day.queries.push(priced);
        addTo(day.totals, priced);
        addTo(totals, priced);
      } else {
        day.exports.push(doc);
        exportTotals.loads += doc.loads;
        exportTotals.rows += doc.rows;
        exportTotals.bytes += doc.bytes;
      }
    }
    return {
      from: range.from,
      to: range.to,
      sink: this.sink.kind,
      estimated: this.sink.kind === 'embedded',
      note:
        this.sink.kind === 'embedded'
          ? 'bytes are estimates of what BigQuery would bill for the same queries (referenced columns, pruned partitions, minimum per table)'
          : 'bytes as reported by BigQuery job statistics',
      price_per_tib_usd: price,
      min_billed_bytes_per_table: this.config.analytics.bigqueryMinBilledBytesPerTable,
      days: [...days.entries()].map(([day, value]) => ({
        day,
        queries: value.queries,
        export: value.exports,
        totals: value.totals,
      })),
      totals: {
        queries: {
          ...totals,
          app_cache_hit_rate:
            totals.requests === 0 ? null : totals.app_cache_hits / totals.requests,
        },
        export: { ...exportTotals, usd: 0 },
      },
    };
  }
}
