import { loadConfig, type AppConfig } from '../../src/common/config/index.js';
import type { DecisionRow, ExecutionRow } from '../../src/modules/cost/analytics-rows.js';
import type { QueryRequest } from '../../src/modules/cost/analytics-sink.port.js';
import { createBigQueryClient } from '../../src/modules/cost/bigquery/bigquery-client.factory.js';
import { QueryBytesCapExceededError } from '../../src/modules/cost/bigquery/bigquery-job-errors.js';
import { BigQuerySink } from '../../src/modules/cost/bigquery/bigquery-sink.js';
import { FakeBigQueryServer } from '../support/fake-bigquery-server.js';

const PROJECT = 'shotclock-test';
const DATASET = 'nba_orchestration';
const DAY_MS = 86_400_000;

function configFor(server: FakeBigQueryServer, extra: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ANALYTICS_SINK: 'bigquery',
    BIGQUERY_PROJECT_ID: PROJECT,
    BIGQUERY_LOCATION: 'US',
    BIGQUERY_API_ENDPOINT: server.url,
    ...extra,
  });
}

function sinkFor(config: AppConfig, waits: number[] = []): BigQuerySink {
  return new BigQuerySink({
    client: createBigQueryClient(config.analytics),
    analytics: config.analytics,
    timeouts: config.timeouts,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
}

const decision = (id: string): DecisionRow => ({
  decision_id: `eval-1:${id}`,
  decision_time: '2026-01-15T18:00:00.000Z',
  workflow_name: id,
  action: 'RUN',
  reason: 'games today',
  context: JSON.stringify({ evaluation_id: 'eval-1', hour_key: '2026-01-15T18' }),
  scrapers_triggered: ['nbac_schedule'],
  target_games: ['0022500001'],
  next_check_time: null,
  priority: 'HIGH',
  alert_level: 'NONE',
  controller_version: '1',
  environment: 'test',
  triggered_by: 'timer',
  created_at: '2026-01-15T18:00:01.000Z',
});

const execution: ExecutionRow = {
  execution_id: 'exec-1',
  execution_time: '2026-01-15T18:01:00.000Z',
  workflow_name: 'morning_operations',
  decision_id: 'eval-1:morning_operations',
  scrapers_requested: ['a', 'b'],
  scrapers_triggered: 2,
  scrapers_succeeded: 1,
  scrapers_failed: 1,
  scraper_execution_ids: ['s-1', 's-2'],
  status: 'partial',
  duration_seconds: 12.5,
  error_message: 'b failed',
  environment: 'test',
  created_at: '2026-01-15T18:02:00.000Z',
};

describe('BigQuerySink against a local BigQuery REST server (real client library)', () => {
  let server: FakeBigQueryServer;

  beforeEach(async () => {
    server = await new FakeBigQueryServer().start();
  });
  afterEach(async () => {
    await server.stop();
  });

  describe('ensureTables', () => {
    it('creates the dataset in its location and both tables with partitioning, clustering, required filter and expiration', async () => {
      const config = configFor(server, { ANALYTICS_PARTITION_EXPIRATION_DAYS: '30' });
      const reports = await sinkFor(config).ensureTables();

      expect(reports).toEqual([
        { table: 'workflow_decisions', outcome: 'created', detail: null },
        { table: 'workflow_executions', outcome: 'created', detail: null },
      ]);
      const [datasetInsert] = server.requestsTo('POST', /\/projects\/[^/]+\/datasets$/);
      expect(datasetInsert!.body).toMatchObject({
        datasetReference: { datasetId: DATASET },
        location: 'US',
      });
      const inserts = server.requestsTo('POST', /\/datasets\/nba_orchestration\/tables$/);
      expect(inserts).toHaveLength(2);
      const decisions = inserts[0]!.body as Record<string, unknown>;
      expect(decisions).toMatchObject({
        tableReference: { projectId: PROJECT, datasetId: DATASET, tableId: 'workflow_decisions' },
        timePartitioning: {
          type: 'DAY',
          field: 'decision_time',
          expirationMs: String(30 * DAY_MS),
        },
        clustering: { fields: ['workflow_name', 'action', 'alert_level'] },
        requirePartitionFilter: true,
      });
      const fields = (decisions.schema as { fields: Array<Record<string, string>> }).fields;
      expect(fields.map((field) => field.name)).toEqual([
        'decision_id',
        'decision_time',
        'workflow_name',
        'action',
        'reason',
        'context',
        'scrapers_triggered',
        'target_games',
        'next_check_time',
        'priority',
        'alert_level',
        'controller_version',
        'environment',
        'triggered_by',
        'created_at',
      ]);
      expect(fields.find((field) => field.name === 'scrapers_triggered')).toEqual({
        name: 'scrapers_triggered',
        type: 'STRING',
        mode: 'REPEATED',
      });
      expect(fields.find((field) => field.name === 'decision_time')).toMatchObject({
        type: 'TIMESTAMP',
      });
      expect(inserts[1]!.body).toMatchObject({
        timePartitioning: {
          type: 'DAY',
          field: 'execution_time',
          expirationMs: String(30 * DAY_MS),
        },
        clustering: { fields: ['workflow_name', 'status'] },
        requirePartitionFilter: true,
        schema: {
          fields: expect.arrayContaining([
            { name: 'scrapers_requested', type: 'STRING', mode: 'REPEATED' },
            { name: 'scraper_execution_ids', type: 'STRING', mode: 'REPEATED' },
            { name: 'scrapers_triggered', type: 'INTEGER', mode: 'NULLABLE' },
            { name: 'duration_seconds', type: 'FLOAT', mode: 'NULLABLE' },
          ]),
        },
      });
    });

    it('leaves matching tables alone on the next start', async () => {
      const config = configFor(server);
      await sinkFor(config).ensureTables();
      const reports = await sinkFor(config).ensureTables();
      expect(reports.map((report) => report.outcome)).toEqual(['unchanged', 'unchanged']);
      expect(server.requestsTo('PATCH', /\/tables\//)).toHaveLength(0);
    });

    it('reports a table partitioned or clustered differently as a mismatch and refuses to load into it', async () => {
      server.putTable(PROJECT, DATASET, 'workflow_decisions', {
        schema: { fields: [{ name: 'decision_id', type: 'STRING' }] },
        timePartitioning: { type: 'DAY', field: 'created_at' },
        clustering: { fields: ['workflow_name'] },
      });
      const sink = sinkFor(configFor(server));

      const reports = await sink.ensureTables();

      expect(reports[0]).toEqual({
        table: 'workflow_decisions',
        outcome: 'mismatch',
        detail: expect.stringContaining(
          'partitioning is DAY on created_at, expected DAY on decision_time',
        ),
      });
      expect(reports[0]!.detail).toContain(
        'clustering is [workflow_name], expected [workflow_name, action, alert_level]',
      );
      expect(reports[1]!.outcome).toBe('created');
      await expect(sink.load('workflow_decisions', [decision('a')])).rejects.toThrow(
        /load into nba_orchestration\.workflow_decisions refused.*partitioning is DAY on created_at/,
      );
      expect(server.requestsTo('POST', /^\/upload\//)).toHaveLength(0);
    });

    it('patches the schema of a table that lacks new columns', async () => {
      const config = configFor(server);
      await sinkFor(config).ensureTables();
      const stored = server.tables.get(`${PROJECT}/${DATASET}/workflow_executions`)!;
      const schema = stored.metadata.schema as { fields: Array<{ name: string }> };
      stored.metadata.schema = {
        fields: schema.fields.filter(
          (field) => !['error_message', 'scraper_execution_ids'].includes(field.name),
        ),
      };

      const reports = await sinkFor(config).ensureTables();

      expect(reports[1]).toEqual({
        table: 'workflow_executions',
        outcome: 'columns_added',
        detail: 'added scraper_execution_ids, error_message',
      });
      const [patch] = server.requestsTo('PATCH', /\/tables\/workflow_executions$/);
      const patched = (patch!.body as { schema: { fields: Array<Record<string, string>> } }).schema
        .fields;
      expect(patched.slice(-2)).toEqual([
        { name: 'scraper_execution_ids', type: 'STRING', mode: 'REPEATED' },
        { name: 'error_message', type: 'STRING', mode: 'NULLABLE' },
      ]);
      expect(patched).toHaveLength(14);
    });

    it('adds the environment column to an executions table created before it existed', async () => {
      const config = configFor(server);
      await sinkFor(config).ensureTables();
      const stored = server.tables.get(`${PROJECT}/${DATASET}/workflow_executions`)!;
      const schema = stored.metadata.schema as { fields: Array<{ name: string }> };
      stored.metadata.schema = {
        fields: schema.fields.filter((field) => field.name !== 'environment'),
      };
      const sink = sinkFor(config);

      const reports = await sink.ensureTables();

      expect(reports).toEqual([
        { table: 'workflow_decisions', outcome: 'unchanged', detail: null },
        { table: 'workflow_executions', outcome: 'columns_added', detail: 'added environment' },
      ]);
      const [patch] = server.requestsTo('PATCH', /\/tables\/workflow_executions$/);
      const patched = (patch!.body as { schema: { fields: Array<Record<string, string>> } }).schema
        .fields;
      expect(patched.at(-1)).toEqual({ name: 'environment', type: 'STRING', mode: 'NULLABLE' });
      await sink.load('workflow_executions', [execution]);
      expect(stored.rows).toEqual([expect.objectContaining({ environment: 'test' })]);
    });
  });

  describe('load', () => {
    it('runs one multipart load job: NDJSON, WRITE_APPEND, destination, job timeout; rows arrive', async () => {
      const config = configFor(server, { TIMEOUT_BIGQUERY_LOAD_MS: '45000' });
      const sink = sinkFor(config);

      const result = await sink.load('workflow_decisions', [decision('a'), decision('b')]);

      const uploads = server.requestsTo(
        'POST',
        /^\/upload\/bigquery\/v2\/projects\/shotclock-test\/jobs$/,
      );
      expect(uploads).toHaveLength(1);
      expect(uploads[0]!.query.uploadType).toBe('multipart');
      const job = uploads[0]!.body as {
        jobReference: { jobId: string; location: string };
        configuration: Record<string, unknown>;
      };
      expect(job.jobReference.jobId).toMatch(/^shotclock_load_workflow_decisions_[0-9a-f]{16}_/);
      expect(job.jobReference.location).toBe('US');
      expect(job.configuration).toEqual({
        jobTimeoutMs: '45000',
        labels: { module: 'cost', table: 'workflow_decisions' },
        load: {
          destinationTable: {
            projectId: PROJECT,
            datasetId: DATASET,
            tableId: 'workflow_decisions',
          },
          sourceFormat: 'NEWLINE_DELIMITED_JSON',
          writeDisposition: 'WRITE_APPEND',
          createDisposition: 'CREATE_NEVER',
          schemaUpdateOptions: [],
        },
      });
      const stored = server.tables.get(`${PROJECT}/${DATASET}/workflow_decisions`)!;
      expect(stored.rows).toEqual([decision('a'), decision('b')]);
      expect(result).toEqual({
        rows: 2,
        bytes: 200,
        statistics: {
          jobId: job.jobReference.jobId,
          totalBytesProcessed: 0,
          totalBytesBilled: 0,
          cacheHit: false,
          durationMs: 1200,
          estimated: false,
        },
      });
      expect(server.requestsTo('POST', /\/insertAll$/)).toHaveLength(0);
    });

    it('retries a load whose job fails twice, with backoff, and loads the rows once', async () => {
      const config = configFor(server, {
        TIMEOUT_RETRY_BACKOFF_BASE_MS: '100',
        TIMEOUT_RETRY_BACKOFF_MAX_MS: '1000',
      });
      const waits: number[] = [];
      const sink = sinkFor(config, waits);
      await sink.ensureTables();
      server.failNextLoads(1, 'job');
      server.failNextLoads(1, 'http');

      const result = await sink.load('workflow_executions', [execution]);

      const uploads = server.requestsTo('POST', /^\/upload\//);
      expect(uploads).toHaveLength(3);
      const jobIds = uploads.map(
        (upload) => (upload.body as { jobReference: { jobId: string } }).jobReference.jobId,
      );
      expect(jobIds.map((id) => id.slice(-3))).toEqual(['_a1', '_a2', '_a3']);
      expect(waits).toEqual([100, 200]);
      expect(result.rows).toBe(1);
      expect(server.tables.get(`${PROJECT}/${DATASET}/workflow_executions`)!.rows).toEqual([
        execution,
      ]);
    });

    it('does not load twice when the insert answered 503 but the job ran', async () => {
      const sink = sinkFor(configFor(server));
      await sink.ensureTables();
      server.failNextLoads(1, 'lost-response');

      const result = await sink.load('workflow_executions', [execution]);

      expect(server.requestsTo('POST', /^\/upload\//)).toHaveLength(1);
      expect(server.tables.get(`${PROJECT}/${DATASET}/workflow_executions`)!.rows).toHaveLength(1);
      expect(result.rows).toBe(1);
    });

    it('gives up after three failed attempts with an error naming the table, keeping nothing half-loaded', async () => {
      const sink = sinkFor(configFor(server));
      await sink.ensureTables();
      server.failNextLoads(3, 'job');

      await expect(sink.load('workflow_executions', [execution])).rejects.toThrow(
        /load of 1 rows into nba_orchestration\.workflow_executions failed .*the rows stay pending/,
      );
      expect(server.requestsTo('POST', /^\/upload\//)).toHaveLength(3);
      expect(server.tables.get(`${PROJECT}/${DATASET}/workflow_executions`)!.rows).toHaveLength(0);
    });

    it('does not retry a load that fails for a reason a retry cannot fix', async () => {
      const sink = sinkFor(configFor(server));
      await sink.ensureTables();
      server.tables.delete(`${PROJECT}/${DATASET}/workflow_executions`);

      await expect(sink.load('workflow_executions', [execution])).rejects.toThrow(
        /Not found: Table workflow_executions/,
      );
      expect(server.requestsTo('POST', /^\/upload\//)).toHaveLength(1);
    });
  });

  describe('query', () => {
    const request: QueryRequest = {
      name: 'daily_decisions',
      sql: 'SELECT workflow_name, COUNT(*) AS n FROM {dataset}.workflow_decisions WHERE DATE(decision_time) BETWEEN @from AND @to AND decision_time < @until AND priority = @priority AND n > @min GROUP BY 1',
      params: {
        from: '2026-01-01',
        to: '2026-01-31',
        until: '2026-01-31T23:59:59Z',
        priority: 'HIGH',
        min: 3,
      },
      labels: { module: 'cost', query_name: 'daily_decisions', env: 'test' },
      maximumBytesBilled: 52_428_800,
    };

    it('runs a query job with cache, byte cap, labels, typed parameters and timeout; maps statistics', async () => {
      const config = configFor(server, { TIMEOUT_BIGQUERY_QUERY_MS: '30000' });
      server.nextQuery = {
        fields: [
          { name: 'workflow_name', type: 'STRING' },
          { name: 'n', type: 'INTEGER' },
        ],
        rows: [{ workflow_name: 'morning_operations', n: 4 }],
        totalBytesProcessed: 2_048,
        totalBytesBilled: 10_485_760,
        cacheHit: false,
        durationMs: 850,
      };

      const result = await sinkFor(config).query(request);

      const [insert] = server.requestsTo(
        'POST',
        /^\/bigquery\/v2\/projects\/shotclock-test\/jobs$/,
      );
      const job = insert!.body as {
        jobReference: { jobId: string; location: string };
        configuration: Record<string, unknown> & { query: Record<string, unknown> };
      };
      expect(job.jobReference.jobId).toMatch(/^shotclock_query_daily_decisions_/);
      expect(job.jobReference.location).toBe('US');
      expect(job.configuration.labels).toEqual(request.labels);
      expect(job.configuration.jobTimeoutMs).toBe('30000');
      expect(job.configuration.dryRun).toBeUndefined();
      expect(job.configuration.query).toMatchObject({
        query: expect.stringContaining(
          'FROM `shotclock-test.nba_orchestration`.workflow_decisions',
        ),
        useQueryCache: true,
        useLegacySql: false,
        maximumBytesBilled: '52428800',
        parameterMode: 'named',
      });
      const parameters = job.configuration.query.queryParameters as Array<{
        name: string;
        parameterType: { type: string };
        parameterValue: { value: string };
      }>;
      expect(Object.fromEntries(parameters.map((p) => [p.name, p.parameterType.type]))).toEqual({
        from: 'DATE',
        to: 'DATE',
        until: 'TIMESTAMP',
        priority: 'STRING',
        min: 'INT64',
      });
      expect(Object.fromEntries(parameters.map((p) => [p.name, p.parameterValue.value]))).toEqual({
        from: '2026-01-01',
        to: '2026-01-31',
        until: '2026-01-31T23:59:59.000Z',
        priority: 'HIGH',
        min: 3,
      });
      expect(result.rows).toEqual([{ workflow_name: 'morning_operations', n: 4 }]);
      expect(result.statistics).toEqual({
        jobId: job.jobReference.jobId,
        totalBytesProcessed: 2_048,
        totalBytesBilled: 10_485_760,
        cacheHit: false,
        durationMs: 850,
        estimated: false,
      });
    });

    it('reports a cache hit', async () => {
      server.nextQuery = { ...server.nextQuery, cacheHit: true, durationMs: 20 };
      const result = await sinkFor(configFor(server)).query(request);
      expect(result.statistics.cacheHit).toBe(true);
      expect(result.statistics.totalBytesBilled).toBe(0);
    });

    it('estimates with a dry run: dryRun in the job, no results fetched, no rows', async () => {
      server.nextQuery = { ...server.nextQuery, totalBytesProcessed: 987_654 };

      const result = await sinkFor(configFor(server)).query({ ...request, dryRun: true });

      const [insert] = server.requestsTo('POST', /\/jobs$/);
      expect((insert!.body as { configuration: { dryRun: boolean } }).configuration.dryRun).toBe(
        true,
      );
      expect(server.requestsTo('GET', /\/queries\//)).toHaveLength(0);
      expect(result.rows).toEqual([]);
      expect(result.statistics).toMatchObject({
        totalBytesProcessed: 987_654,
        totalBytesBilled: 0,
        estimated: false,
      });
    });

    it('fails a query over its byte cap with an error naming the query and the cap', async () => {
      server.failQueriesWith(
        'bytesBilledLimitExceeded',
        'Query exceeded limit for bytes billed: 52428800. 104857600 or higher required.',
      );

      const error = await sinkFor(configFor(server))
        .query(request)
        .then(
          () => null,
          (caught: unknown) => caught,
        );

      expect(error).toBeInstanceOf(QueryBytesCapExceededError);
      expect((error as Error).message).toMatch(
        /query "daily_decisions" was stopped: .* cap of 52428800 bytes/,
      );
    });
  });
});
