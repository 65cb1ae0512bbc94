import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BigQuery, Dataset } from '@google-cloud/bigquery';
import { backoffMs } from '../../../common/config/backoff.js';
import type { AnalyticsConfig } from '../../../common/config/namespaces/analytics.config.js';
import type { TimeoutConfig } from '../../../common/config/timeout.config.js';
import { ANALYTICS_TABLES, type AnalyticsRows, type AnalyticsTable } from '../analytics-rows.js';
import type {
  AnalyticsSink,
  LoadResult,
  QueryRequest,
  QueryResult,
  TableReport,
} from '../analytics-sink.port.js';
import { tableCreationBody, tableSpec } from './analytics-schema.js';
import {
  httpStatusOf,
  isBytesBilledLimitError,
  isRetryableBigQueryError,
  QueryBytesCapExceededError,
} from './bigquery-job-errors.js';
import { mapJobStatistics, type JobResource } from './job-statistics.mapper.js';
import { queryJobParameters } from './query-parameter-types.js';
import { checkTableLayout, type ExistingTableMetadata } from './table-layout-check.js';

/** Attempts of one load job (the first and two retries) before the error reaches the caller. */
export const LOAD_ATTEMPTS = 3;
export const LOAD_JOB_PREFIX = 'shotclock_load_';
export const QUERY_JOB_PREFIX = 'shotclock_query_';

export interface BigQuerySinkOptions {
  client: BigQuery;
  analytics: Pick<
    AnalyticsConfig,
    'analyticsDataset' | 'bigqueryLocation' | 'analyticsPartitionExpirationDays'
  >;
  timeouts: Pick<
    TimeoutConfig,
    'bigqueryQueryMs' | 'bigqueryLoadMs' | 'retryBackoffBaseMs' | 'retryBackoffMaxMs'
  >;
  /** Waits between load attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The analytics sink on BigQuery. Tables are day-partitioned with a required partition filter;
 * rows arrive by load jobs (free) appending to the table; queries run as jobs capped by
 * maximumBytesBilled. Loads append: a replayed batch is deduplicated at read time by the natural
 * id (`QUALIFY ROW_NUMBER() OVER (PARTITION BY <id> ORDER BY created_at DESC) = 1`), and a retry
 * inside one load() first checks whether the previous attempt's job did succeed.
 */
export class BigQuerySink implements AnalyticsSink {
  readonly kind = 'bigquery' as const;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly mismatched = new Map<AnalyticsTable, string>();
  private tablesEnsured: Promise<TableReport[]> | null = null;

  constructor(private readonly options: BigQuerySinkOptions) {
    this.sleep = options.sleep ?? wait;
  }

  private get dataset(): Dataset {
    return this.options.client.dataset(this.options.analytics.analyticsDataset, {
      location: this.options.analytics.bigqueryLocation,
    });
  }

  ensureTables(): Promise<TableReport[]> {
    this.tablesEnsured ??= this.ensureAll().catch((error: unknown) => {
      this.tablesEnsured = null;
      throw error;
    });
    return this.tablesEnsured;
  }

  private async ensureAll(): Promise<TableReport[]> {
    await this.ensureDataset();
    const reports: TableReport[] = [];
    for (const table of ANALYTICS_TABLES) reports.push(await this.ensureTable(table));
    return reports;
  }

  private async ensureDataset(): Promise<void> {
    const [exists] = await this.dataset.exists();
    if (exists) return;
    await this.options.client.createDataset(this.options.analytics.analyticsDataset, {
      location: this.options.analytics.bigqueryLocation,
    });
  }

  private async ensureTable(table: AnalyticsTable): Promise<TableReport> {
    const spec = tableSpec(table);
    const handle = this.dataset.table(table);
    const [exists] = await handle.exists();
    if (!exists) {
      await this.dataset.createTable(
        table,
        tableCreationBody(spec, this.options.analytics.analyticsPartitionExpirationDays),
      );
      return { table, outcome: 'created', detail: null };
    }
    const [rawMetadata] = await handle.getMetadata();
    const metadata = rawMetadata as ExistingTableMetadata;
    const check = checkTableLayout(spec, metadata);
    if (check.outcome === 'mismatch') {
      this.mismatched.set(table, check.detail);
      return { table, outcome: 'mismatch', detail: check.detail };
    }
    this.mismatched.delete(table);
    if (check.outcome === 'unchanged') return { table, outcome: 'unchanged', detail: null };
    await handle.setMetadata({
      schema: { fields: [...(metadata.schema?.fields ?? []), ...check.missingFields] },
    });
    return {
      table,
      outcome: 'columns_added',
      detail: `added ${check.missingFields.map((field) => field.name).join(', ')}`,
    };
  }

  async load<T extends AnalyticsTable>(
    table: T,
    rows: ReadonlyArray<AnalyticsRows[T]>,
  ): Promise<LoadResult> {
    await this.ensureTables();
    const mismatch = this.mismatched.get(table);
    if (mismatch !== undefined)
      throw new Error(
        `BigQuery load into ${this.options.analytics.analyticsDataset}.${table} refused: the ` +
          `table's layout differs from the expected one (${mismatch}); the rows stay pending`,
      );
    if (rows.length === 0)
      return {
        rows: 0,
        bytes: 0,
        statistics: {
          jobId: null,
          totalBytesProcessed: 0,
          totalBytesBilled: 0,
          cacheHit: false,
          durationMs: 0,
          estimated: false,
        },
      };
    const ndjson = rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
    const contentHash = createHash('sha256').update(ndjson).digest('hex').slice(0, 16);
    const baseJobId = `${LOAD_JOB_PREFIX}${table}_${contentHash}_${randomUUID().slice(0, 8)}`;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= LOAD_ATTEMPTS; attempt += 1) {
      if (attempt > 1) await this.sleep(backoffMs(attempt - 1, this.options.timeouts));
      const jobId = `${baseJobId}_a${attempt}`;
      try {
        const job = await this.runLoadJob(table, jobId, ndjson);
        return this.loadResult(job, rows.length, ndjson);
      } catch (error) {
        lastError = error;
        if (!isRetryableBigQueryError(error)) break;
        // A 5xx on insert may hide a job that ran: never load the same rows twice.
        const ran = await this.succeededJob(jobId);
        if (ran) return this.loadResult(ran, rows.length, ndjson);
      }
    }
    throw new Error(
      `BigQuery load of ${rows.length} rows into ${this.options.analytics.analyticsDataset}.${table} ` +
        `failed (job ${baseJobId}_a*): ${lastError instanceof Error ? lastError.message : String(lastError)}; ` +
        'the rows stay pending and are loaded again later',
      { cause: lastError },
    );
  }

  private loadResult(job: JobResource, rowCount: number, ndjson: string): LoadResult {
    const outputBytes = Number(job.statistics?.load?.outputBytes ?? 0);
    return {
      rows: Number(job.statistics?.load?.outputRows ?? rowCount),
      bytes: outputBytes > 0 ? outputBytes : Buffer.byteLength(ndjson),
      statistics: mapJobStatistics(job),
    };
  }

  /** The job's final resource if it exists and succeeded (waiting for it if still running). */
  private async succeededJob(jobId: string): Promise<JobResource | null> {
    const job = this.options.client.job(jobId, {
      location: this.options.analytics.bigqueryLocation,
    });
    try {
      const [metadata] = await job.getMetadata();
      const status = (metadata as { status?: { state?: string; errorResult?: unknown } }).status;
      if (status?.state === 'DONE') return status.errorResult ? null : (metadata as JobResource);
    } catch (error) {
      if (httpStatusOf(error) === 404) return null;
      throw error;
    }
    try {
      const [completed] = (await job.promise()) as [JobResource];
      return completed;
    } catch (error) {
      // An error without an HTTP status is the job's own errorResult: it failed and loaded
      // nothing, so the next attempt loads the rows. An HTTP error leaves the job's fate unknown.
      if (httpStatusOf(error) === null) return null;
      throw error;
    }
  }

  /** Uploads the rows with a multipart load-job insert (the client's upload endpoint) and waits. */
  private async runLoadJob(table: AnalyticsTable, jobId: string, ndjson: string) {
    const client = this.options.client;
    const projectId = await client.getProjectId();
    const location = this.options.analytics.bigqueryLocation;
    const jobResource = {
      jobReference: { projectId, jobId, location },
      configuration: {
        jobTimeoutMs: String(this.options.timeouts.bigqueryLoadMs),
        labels: { module: 'cost', table },
        load: {
          destinationTable: {
            projectId,
            datasetId: this.options.analytics.analyticsDataset,
            tableId: table,
          },
          sourceFormat: 'NEWLINE_DELIMITED_JSON',
          writeDisposition: 'WRITE_APPEND',
          createDisposition: 'CREATE_NEVER',
          schemaUpdateOptions: [],
        },
      },
    };
    // teeny-request (the library's transport) reads each part's 'Content-Type' key; the second
    // part must be a stream, or the multipart body is never closed.
    const parts = [
      { 'Content-Type': 'application/json', body: JSON.stringify(jobResource) },
      { 'Content-Type': 'application/octet-stream', body: Readable.from([ndjson]) },
    ];
    const inserted = await new Promise<JobResource>((resolve, reject) => {
      client.makeAuthenticatedRequest(
        {
          method: 'POST',
          uri: `${client.apiEndpoint}/upload/bigquery/v2/projects/${projectId}/jobs`,
          qs: { uploadType: 'multipart' },
          // The body stream cannot be replayed: retries are this sink's, not the library's.
          maxRetries: 0,
          multipart: parts,
        },
        (error, body) => (error ? reject(error) : resolve(body as JobResource)),
      );
    });
    const job = client.job(jobId, { location });
    job.metadata = inserted;
    const [completed] = (await job.promise()) as [JobResource];
    return completed;
  }

  async query(request: QueryRequest): Promise<QueryResult> {
    const client = this.options.client;
    const projectId = await client.getProjectId();
    // `{project}` names another dataset of the project (the schedule table), inside backticks.
    const sql = request.sql
      .replaceAll('{dataset}', `\`${projectId}.${this.options.analytics.analyticsDataset}\``)
      .replaceAll('{project}', projectId);
    let job;
    try {
      [job] = await client.createQueryJob({
        query: sql,
        ...queryJobParameters(request.params),
        useQueryCache: true,
        useLegacySql: false,
        maximumBytesBilled: String(request.maximumBytesBilled),
        labels: request.labels,
        jobTimeoutMs: this.options.timeouts.bigqueryQueryMs,
        dryRun: request.dryRun === true,
        location: this.options.analytics.bigqueryLocation,
        jobPrefix: `${QUERY_JOB_PREFIX}${request.name}_`,
      });
      if (request.dryRun === true)
        return { rows: [], statistics: mapJobStatistics(job.metadata as JobResource) };
      const [rows] = await job.getQueryResults({
        timeoutMs: this.options.timeouts.bigqueryQueryMs,
      });
      const [metadata] = await job.getMetadata();
      return {
        rows: rows as Array<Record<string, unknown>>,
        statistics: mapJobStatistics(metadata as JobResource),
      };
    } catch (error) {
      if (isBytesBilledLimitError(error))
        throw new QueryBytesCapExceededError(request.name, request.maximumBytesBilled, error);
      throw new Error(
        `BigQuery query "${request.name}" failed${job ? ` (job ${job.id})` : ''}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }
}
