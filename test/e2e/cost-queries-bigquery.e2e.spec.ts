import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { NAMED_QUERIES } from '../../src/modules/cost/queries/named-queries.js';
import { FakeBigQueryServer, type ProgrammedQuery } from '../support/fake-bigquery-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const NOW = '2026-01-22T12:40:00.000Z';
const micros = (iso: string) => String(Date.parse(iso) * 1000);
const CAP = 52_428_800;

/** The columns of the two queries over unanswered RUN decisions (they share their SQL). */
const UNANSWERED_DECISION_FIELDS = [
  { name: 'decision_id', type: 'STRING' },
  { name: 'workflow_name', type: 'STRING' },
  { name: 'decision_time', type: 'TIMESTAMP' },
  { name: 'priority', type: 'STRING' },
];

/** What the local server answers for each named query (BigQuery's REST cell format), and what Shotclock makes of it. */
const PROGRAMMED: Record<
  string,
  {
    query: Omit<
      ProgrammedQuery,
      'totalBytesProcessed' | 'totalBytesBilled' | 'cacheHit' | 'durationMs'
    >;
    result: unknown;
  }
> = {
  pending_run_decisions: {
    query: {
      fields: UNANSWERED_DECISION_FIELDS,
      rows: [
        {
          decision_id: 'ev-1:betting_lines',
          workflow_name: 'betting_lines',
          decision_time: micros('2026-01-22T12:35:00Z'),
          priority: 'HIGH',
        },
      ],
    },
    result: {
      decisions: [
        {
          decision_id: 'ev-1:betting_lines',
          workflow_name: 'betting_lines',
          decision_time: '2026-01-22T12:35:00.000Z',
          priority: 'HIGH',
          minutes_pending: 5,
        },
      ],
    },
  },
  missing_executions: {
    query: {
      fields: UNANSWERED_DECISION_FIELDS,
      rows: [
        {
          decision_id: 'ev-0:injury_discovery',
          workflow_name: 'injury_discovery',
          decision_time: micros('2026-01-22T12:20:00Z'),
          priority: 'HIGH',
        },
      ],
    },
    result: {
      counts: { RECENT: 0, DELAYED: 1, MISSED: 0 },
      decisions: [
        expect.objectContaining({
          decision_id: 'ev-0:injury_discovery',
          class: 'DELAYED',
          minutes_pending: 20,
        }),
      ],
    },
  },
  success_rate_7d: {
    query: {
      fields: [
        { name: 'workflow_name', type: 'STRING' },
        { name: 'runs', type: 'INTEGER' },
        { name: 'succeeded', type: 'INTEGER' },
        { name: 'failed', type: 'INTEGER' },
      ],
      rows: [{ workflow_name: 'betting_lines', runs: 8, succeeded: 6, failed: 2 }],
    },
    result: {
      workflows: [
        { workflow_name: 'betting_lines', runs: 8, succeeded: 6, failed: 2, success_rate: 0.75 },
      ],
    },
  },
  failure_spike: {
    query: {
      fields: [
        { name: 'workflow_name', type: 'STRING' },
        { name: 'execution_time', type: 'TIMESTAMP' },
        { name: 'status', type: 'STRING' },
      ],
      rows: [
        {
          workflow_name: 'betting_lines',
          execution_time: micros('2026-01-22T12:00:00Z'),
          status: 'failed',
        },
        {
          workflow_name: 'betting_lines',
          execution_time: micros('2026-01-22T12:10:00Z'),
          status: 'completed',
        },
      ],
    },
    result: {
      spiking: ['betting_lines'],
      workflows: [
        { workflow_name: 'betting_lines', runs: 2, failed: 1, failure_rate: 0.5, spike: true },
      ],
    },
  },
  slow_runs: {
    query: {
      fields: [
        { name: 'execution_id', type: 'STRING' },
        { name: 'workflow_name', type: 'STRING' },
        { name: 'run_time', type: 'TIMESTAMP' },
        { name: 'duration_seconds', type: 'FLOAT' },
        { name: 'average_seconds', type: 'FLOAT' },
      ],
      rows: [
        {
          execution_id: 'x-1',
          workflow_name: 'betting_lines',
          run_time: micros('2026-01-21T08:00:00Z'),
          duration_seconds: 90.5,
          average_seconds: 30.25,
        },
      ],
    },
    result: {
      runs: [
        {
          execution_id: 'x-1',
          workflow_name: 'betting_lines',
          run_time: '2026-01-21T08:00:00.000Z',
          duration_seconds: 90.5,
          average_seconds: 30.25,
        },
      ],
    },
  },
};

interface QueryJob {
  jobReference: { jobId: string };
  configuration: {
    labels: Record<string, string>;
    jobTimeoutMs: string;
    dryRun?: boolean;
    query: {
      query: string;
      useQueryCache: boolean;
      useLegacySql: boolean;
      maximumBytesBilled: string;
      queryParameters: Array<{
        name: string;
        parameterType: { type: string };
        parameterValue: { value: string };
      }>;
    };
  };
}

/** The named queries as BigQuery jobs: real client library, local server speaking REST v2. */
describe('named analytics queries on BigQuery (real app, local BigQuery REST server)', () => {
  let bigquery: FakeBigQueryServer;
  let test: TestApp;
  let server: Parameters<typeof request>[0];
  const queryJobs = () =>
    bigquery
      .requestsTo('POST', /^\/bigquery\/v2\/projects\/shotclock-test\/jobs$/)
      .map((r) => r.body as QueryJob)
      .filter((job) => 'query' in job.configuration);

  beforeAll(async () => {
    bigquery = await new FakeBigQueryServer().start();
    test = await startTestApp(
      {
        LOG_LEVEL: 'error',
        ANALYTICS_SINK: 'bigquery',
        BIGQUERY_PROJECT_ID: 'shotclock-test',
        BIGQUERY_API_ENDPOINT: bigquery.url,
        BIGQUERY_MAX_BYTES_BILLED: String(CAP),
        TIMEOUT_BIGQUERY_QUERY_MS: '45000',
      },
      { clock: new ManualClock(NOW) },
    );
    server = test.app.getHttpServer();
  });
  afterAll(async () => {
    await test?.close();
    await bigquery.stop();
  });

  it.each(NAMED_QUERIES.map((query) => [query.name, query.defaultRange(new Date(NOW))] as const))(
    '%s: one query job with cache, byte cap, labels, timeout, TIMESTAMP range parameters, partition filter; rows presented',
    async (name, range) => {
      const programmed = PROGRAMMED[name]!;
      bigquery.nextQuery = {
        ...programmed.query,
        totalBytesProcessed: 123_456,
        totalBytesBilled: 10_485_760,
        cacheHit: false,
        durationMs: 40,
      };
      const jobsBefore = queryJobs().length;

      const answer = await request(server).get(`/v1/analytics/queries/${name}`).expect(200);

      const jobs = queryJobs().slice(jobsBefore);
      expect(jobs).toHaveLength(1);
      const job = jobs[0]!;
      expect(job.jobReference.jobId).toMatch(new RegExp(`^shotclock_query_${name}_`));
      expect(job.configuration.labels).toEqual({
        module: 'cost',
        query_name: name,
        env: 'dev',
      });
      expect(job.configuration.jobTimeoutMs).toBe('45000');
      expect(job.configuration.dryRun).toBeUndefined();
      expect(job.configuration.query).toMatchObject({
        useQueryCache: true,
        useLegacySql: false,
        maximumBytesBilled: String(CAP),
      });
      const params = job.configuration.query.queryParameters;
      expect(params.map((p) => [p.name, p.parameterType.type, p.parameterValue.value])).toEqual([
        ['from_time', 'TIMESTAMP', `${range.from}T00:00:00.000Z`],
        [
          'until_time',
          'TIMESTAMP',
          new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000).toISOString(),
        ],
      ]);
      const sql = job.configuration.query.query;
      expect(sql).not.toMatch(/CURRENT_DATE|CURRENT_TIMESTAMP|NOW\s*\(/i);
      expect(sql).toMatch(
        /FROM `shotclock-test\.nba_orchestration`\.workflow_\w+ WHERE \w+_time >= @from_time AND \w+_time < @until_time QUALIFY ROW_NUMBER\(\)/,
      );
      expect(answer.body.result).toEqual(programmed.result);
      expect(answer.body.source).toMatchObject({
        sink: 'bigquery',
        app_cache: 'miss',
        statistics: {
          totalBytesProcessed: 123_456,
          totalBytesBilled: 10_485_760,
          estimated: false,
        },
      });

      // The same request again: answered from the application cache, no job.
      const again = await request(server).get(`/v1/analytics/queries/${name}`).expect(200);
      expect(again.body.source.app_cache).toBe('hit');
      expect(queryJobs().length).toBe(jobsBefore + 1);
    },
  );

  it("records BigQuery's cache hits apart from the application's, and sums bytes per query in the ledger", async () => {
    bigquery.nextQuery = {
      ...PROGRAMMED.success_rate_7d!.query,
      totalBytesProcessed: 0,
      totalBytesBilled: 0,
      cacheHit: true,
      durationMs: 5,
    };
    const fresh = await request(server)
      .get('/v1/analytics/queries/success_rate_7d?from=2026-01-01&to=2026-01-07')
      .expect(200);
    expect(fresh.body.source).toMatchObject({ app_cache: 'miss', statistics: { cacheHit: true } });

    type Entry = Record<string, number | string | boolean>;
    const ledger = async () =>
      (await request(server).get('/v1/cost?from=2026-01-22&to=2026-01-22').expect(200)).body as {
        estimated: boolean;
        days: Array<{ day: string; queries: Entry[] }>;
        totals: { queries: Entry };
      };
    await eventually(async () => {
      const entry = (await ledger()).days[0]?.queries.find(
        (q) => q.query_name === 'success_rate_7d',
      );
      return entry?.requests === 3;
    }, 'three success_rate_7d requests in the ledger');
    const report = await ledger();
    expect(report.estimated).toBe(false);
    expect(report.days[0]!.queries.find((q) => q.query_name === 'success_rate_7d')).toEqual({
      kind: 'query',
      day: '2026-01-22',
      query_name: 'success_rate_7d',
      requests: 3,
      jobs: 2,
      app_cache_hits: 1,
      bigquery_cache_hits: 1,
      dry_runs: 0,
      bytes_processed: 123_456,
      bytes_billed: 10_485_760,
      estimated: false,
      usd: expect.closeTo((10_485_760 / 2 ** 40) * 6.25, 6),
    });
    expect(report.totals.queries).toMatchObject({
      requests: 11,
      jobs: 6,
      app_cache_hits: 5,
      bytes_billed: 5 * 10_485_760,
    });
  });

  it('dry run: a free dryRun job, no results fetched; its estimate priced', async () => {
    bigquery.nextQuery = {
      ...PROGRAMMED.slow_runs!.query,
      totalBytesProcessed: 3_000_000,
      totalBytesBilled: 0,
      cacheHit: false,
      durationMs: 1,
    };
    const resultsBefore = bigquery.requestsTo('GET', /\/queries\//).length;
    const dry = await request(server)
      .post('/v1/cost/dry-run/slow_runs?from=2026-01-01&to=2026-01-21')
      .expect(200);
    expect(queryJobs().at(-1)!.configuration.dryRun).toBe(true);
    expect(bigquery.requestsTo('GET', /\/queries\//)).toHaveLength(resultsBefore);
    expect(dry.body).toMatchObject({
      query: 'slow_runs',
      sink: 'bigquery',
      estimated: false,
      bytes_processed: 3_000_000,
      bytes_billed_estimate: 10_485_760,
      maximum_bytes_billed: CAP,
    });
  });

  it('a query over its byte cap answers 422 naming the query and the cap', async () => {
    bigquery.failQueriesWith(
      'bytesBilledLimitExceeded',
      `Query exceeded limit for bytes billed: ${CAP}. 104857600 or higher required.`,
    );
    const capped = await request(server)
      .get('/v1/analytics/queries/slow_runs?from=2026-01-02&to=2026-01-03')
      .expect(422);
    expect(capped.body.message).toMatch(new RegExp(`slow_runs.*${CAP}`));
  });
});
