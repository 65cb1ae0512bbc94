import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { secondsToMs } from '../../../common/clock/durations.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import {
  ANALYTICS_EVENTS,
  analyticsQueriesStream,
  type AnalyticsQueryRan,
} from '../analytics-load.events.js';
import {
  ANALYTICS_SINK,
  type AnalyticsSink,
  type JobStatistics,
  type QueryResult,
} from '../analytics-sink.port.js';
import { QueryBytesCapExceededError } from '../bigquery/bigquery-job-errors.js';
import { BytesBilledLimitExceededError } from '../embedded/embedded-analytics.sink.js';
import { labelValue } from '../bigquery/label-value.js';
import { billedTableBytes } from '../embedded/bigquery-bytes.estimator.js';
import { usdOf } from '../ledger/usd.js';
import {
  WORKFLOWS_SETTINGS,
  type GameScheduleRows,
  type ScheduleRow,
  type WorkflowsSettings,
} from '../../workflows/index.js';
import {
  GAME_SCHEDULE_QUERY,
  gameScheduleQuery,
  type GameScheduleResult,
} from './game-schedule.query.js';
import type { NamedQuery } from './named-query.js';
import { NAMED_QUERIES } from './named-queries.js';
import { PartitionWatermarksReader } from './partition-watermarks.reader.js';
import {
  checkRange,
  InvalidQueryRangeError,
  rangeParams,
  type QueryRange,
  type RangeInput,
} from './query-range.js';
import { QueryResultCache } from './query-result-cache.js';
import { sourceFor } from './table-source.js';

const MS_PER_HOUR = 3_600_000;

export interface QueryAnswer {
  query: string;
  description: string;
  range: QueryRange;
  params: Record<string, string>;
  answered_at: string;
  result: unknown;
  source: {
    sink: AnalyticsSink['kind'];
    app_cache: AnalyticsQueryRan['app_cache'];
    cached_at: string | null;
    max_age_ms: number;
    watermarks: Record<string, string>;
    row_count: number;
    /** Of the job that produced the rows (on an application-cache hit: the earlier job). */
    statistics: JobStatistics;
  };
}

/**
 * Runs the named queries: range computed and bound here, answers cached per query, parameters
 * and export watermarks of the covered partitions, every request recorded for the cost ledger.
 * Besides the analytics queries (NAMED_QUERIES) it serves `game_schedule`, over the BigQuery
 * schedule table (GAME_SCHEDULE_TABLE), whose answers are reused for the schedule refresh interval.
 */
@Injectable()
export class AnalyticsQueryService implements GameScheduleRows {
  private readonly cache = new QueryResultCache();
  private readonly queries: ReadonlyArray<NamedQuery>;
  /** Every job's labels: the `env` label is the workflows file's environment. */
  private readonly labelsOf: (query: NamedQuery) => Record<string, string>;

  constructor(
    @Inject(ANALYTICS_SINK) private readonly sink: AnalyticsSink,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly watermarks: PartitionWatermarksReader,
    @Inject(WORKFLOWS_SETTINGS) settings: WorkflowsSettings,
  ) {
    const refreshHours = settings.scheduleRefreshIntervalHours;
    this.queries = [
      ...NAMED_QUERIES,
      gameScheduleQuery({
        table: config.workflows.gameScheduleTable,
        maxAgeMs:
          refreshHours === null
            ? config.timeouts.gameScheduleRefreshMs
            : refreshHours * MS_PER_HOUR,
      }),
    ];
    const env = labelValue(settings.environment);
    this.labelsOf = (query) => ({ module: 'cost', query_name: query.name, env });
  }

  catalogue() {
    const now = this.clock.now();
    const stats = this.cache.stats();
    return {
      sink: this.sink.kind,
      cache_entries: this.cache.size,
      queries: this.queries.map((query) => ({
        name: query.name,
        description: query.description,
        tables: query.tables,
        ...(query.external ? { external_table: query.external.table } : {}),
        default_range: query.defaultRange(now),
        cache: {
          enabled: this.config.flags.isEnabled('ENABLE_QUERY_CACHING', query.name),
          max_age_ms: this.maxAgeMs(query),
          ...(stats[query.name] ?? { hits: 0, misses: 0 }),
        },
      })),
    };
  }

  async run(name: string, input: RangeInput = {}): Promise<QueryAnswer> {
    const query = this.find(name);
    const now = this.clock.now();
    const range = this.rangeOf(query, input, now);
    const params = this.paramsOf(query, range);
    const cached = this.config.flags.isEnabled('ENABLE_QUERY_CACHING', query.name);
    // Read before the query runs: rows landing meanwhile move the watermark, so the next request
    // misses. Without caching nothing is keyed, so nothing is read.
    const watermarks = cached ? await this.watermarksOf(query, range) : {};
    const key = JSON.stringify([query.name, params, watermarks]);
    const maxAgeMs = this.maxAgeMs(query);
    const hit = cached ? this.cache.lookup(query.name, key, now.getTime(), maxAgeMs) : null;
    let rows: ReadonlyArray<Record<string, unknown>>;
    let statistics: JobStatistics;
    let cachedAtMs: number | null = null;
    if (hit) {
      ({ rows, statistics } = hit);
      cachedAtMs = hit.cachedAtMs;
    } else {
      ({ rows, statistics } = await this.execute(query, params, false));
      if (cached) {
        cachedAtMs = now.getTime();
        this.cache.store(key, { rows, statistics, cachedAtMs });
      }
    }
    const appCache = !cached ? 'off' : hit ? 'hit' : 'miss';
    await this.record(query, range, appCache, false, hit ? null : statistics);
    return {
      query: query.name,
      description: query.description,
      range,
      params,
      answered_at: now.toISOString(),
      result: query.present(rows, { now, timeouts: this.config.timeouts }),
      source: {
        sink: this.sink.kind,
        app_cache: appCache,
        cached_at: cachedAtMs === null ? null : new Date(cachedAtMs).toISOString(),
        max_age_ms: maxAgeMs,
        watermarks,
        row_count: rows.length,
        statistics,
      },
    };
  }

  /**
   * The schedule rows of the Eastern game dates `gameDates` (GameScheduleRows, the workflows
   * module's BigQuery game schedule), through `run`: the same cap, labels, ledger entry and cache.
   */
  async gameSchedule(gameDates: QueryRange): Promise<ScheduleRow[]> {
    const answer = await this.run(GAME_SCHEDULE_QUERY, gameDates);
    return (answer.result as GameScheduleResult).games;
  }

  /** BigQuery's estimate (a free dry-run job), or the embedded sink's estimate of the same. */
  async dryRun(name: string, input: RangeInput = {}) {
    const query = this.find(name);
    const range = this.rangeOf(query, input, this.clock.now());
    const { statistics } = await this.execute(query, this.paramsOf(query, range), true);
    await this.record(query, range, 'off', true, statistics);
    const billed =
      statistics.totalBytesBilled > 0
        ? statistics.totalBytesBilled
        : billedTableBytes(
            statistics.totalBytesProcessed,
            (query.external ? 1 : query.tables.length) *
              this.config.analytics.bigqueryMinBilledBytesPerTable,
          );
    return {
      query: query.name,
      range,
      sink: this.sink.kind,
      dry_run: true,
      estimated: statistics.estimated,
      bytes_processed: statistics.totalBytesProcessed,
      bytes_billed_estimate: billed,
      usd_estimate: usdOf(billed, this.config.analytics.bigqueryPricePerTibUsd),
      maximum_bytes_billed: this.config.analytics.bigqueryMaxBytesBilled,
    };
  }

  private find(name: string): NamedQuery {
    const query = this.queries.find((candidate) => candidate.name === name);
    if (!query) {
      throw new NotFoundException(
        `no named query "${name}"; the queries are ${this.queries.map((q) => q.name).join(', ')} (GET /v1/analytics/queries)`,
      );
    }
    if (query.external && this.sink.kind !== 'bigquery') {
      throw new ConflictException(
        `named query ${query.name} reads the BigQuery table ${query.external.table}, which ANALYTICS_SINK=${this.sink.kind} does not hold; it runs with ANALYTICS_SINK=bigquery only`,
      );
    }
    return query;
  }

  private paramsOf(query: NamedQuery, range: QueryRange): Record<string, string> {
    return query.params ? query.params(range) : rangeParams(range);
  }

  private rangeOf(query: NamedQuery, input: RangeInput, now: Date): QueryRange {
    const defaults = query.defaultRange(now);
    try {
      return checkRange(
        { from: input.from ?? defaults.from, to: input.to ?? defaults.to },
        query.name,
      );
    } catch (error) {
      if (error instanceof InvalidQueryRangeError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  /**
   * TIMEOUT_QUERY_CACHE_{EXECUTIONS,DECISIONS}_MS by the tables read (an external table: its own
   * age), capped by QUERY_CACHE_TTL_SECONDS.
   */
  private maxAgeMs(query: NamedQuery): number {
    const timeouts = this.config.timeouts;
    const byTables = query.external
      ? query.external.maxAgeMs
      : query.tables.includes('workflow_executions')
        ? timeouts.queryCacheExecutionsMs
        : timeouts.queryCacheDecisionsMs;
    return Math.min(byTables, secondsToMs(this.config.flags.number('QUERY_CACHE_TTL_SECONDS')));
  }

  private async watermarksOf(query: NamedQuery, range: QueryRange) {
    const entries = await Promise.all(
      query.tables.map(async (table) => [table, await this.watermarks.watermark(table, range)]),
    );
    return Object.fromEntries(entries) as Record<string, string>;
  }

  private async execute(
    query: NamedQuery,
    params: Record<string, string>,
    dryRun: boolean,
  ): Promise<QueryResult> {
    try {
      return await this.sink.query({
        name: query.name,
        sql: query.sql(sourceFor(this.sink.kind)),
        params,
        labels: this.labelsOf(query),
        maximumBytesBilled: this.config.analytics.bigqueryMaxBytesBilled,
        dryRun,
      });
    } catch (error) {
      if (
        error instanceof QueryBytesCapExceededError ||
        error instanceof BytesBilledLimitExceededError
      ) {
        throw new UnprocessableEntityException(error.message);
      }
      throw error;
    }
  }

  private async record(
    query: NamedQuery,
    range: QueryRange,
    appCache: AnalyticsQueryRan['app_cache'],
    dryRun: boolean,
    job: JobStatistics | null,
  ): Promise<void> {
    const at = this.clock.now().toISOString();
    const data: AnalyticsQueryRan = {
      query_name: query.name,
      labels: this.labelsOf(query),
      range,
      app_cache: appCache,
      dry_run: dryRun,
      job_id: job?.jobId ?? null,
      bytes_processed: dryRun ? 0 : (job?.totalBytesProcessed ?? 0),
      bytes_billed: dryRun ? 0 : (job?.totalBytesBilled ?? 0),
      bigquery_cache_hit: job?.cacheHit ?? false,
      duration_ms: job?.durationMs ?? 0,
      estimated: job?.estimated ?? false,
      at,
    };
    await this.storage.events.append(
      analyticsQueriesStream(at.slice(0, 10)),
      [{ type: ANALYTICS_EVENTS.queryRan, data }],
      { expectedVersion: 'any' },
    );
  }
}
