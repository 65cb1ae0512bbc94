import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { FakeBigQueryServer, type PlantedTable } from '../support/fake-bigquery-server.js';
import { ScraperStub } from '../support/scraper-stub.js';
import { SERVICE_ENTRY } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PROJECT = 'shotclock-test';
const HOUR_MS = 3_600_000;
const CAP = 52_428_800;
const ENVIRONMENT = 'staging-west';
const micros = (iso: string) => String(Date.parse(iso) * 1000);

/** A game-aware workflow decided in Los Angeles time, on a file naming its environment. */
const WORKFLOWS_YAML = `
version: '1.0'
environment: ${ENVIRONMENT}
scrapers:
  odds_events: { critical: true }
workflows:
  betting_lines:
    enabled: true
    priority: HIGH
    decision_type: game_aware
    schedule: { window_before_game_hours: 6, business_hours: { start: 8, end: 23 }, frequency_hours: 2 }
    execution_plan: { type: single, scraper: odds_events }
  morning_operations:
    enabled: true
    priority: MEDIUM
    decision_type: self_aware
    schedule: { ideal_window: { start_hour: 0, end_hour: 24 }, run_once_daily: true }
    execution_plan: { type: single, scraper: odds_events }
settings:
  timezone: America/Los_Angeles
  controller_interval_minutes: 60
  schedule_refresh_interval_hours: 6
`;

/** Eastern game dates: two games on the 22nd (16:00 and 19:00 in Los Angeles), the 24th postponed. */
const SCHEDULE: PlantedTable = {
  partitionColumn: 'game_date',
  fields: [
    { name: 'game_id', type: 'STRING' },
    { name: 'game_date', type: 'DATE' },
    { name: 'game_date_est', type: 'TIMESTAMP' },
    { name: 'game_status', type: 'STRING' },
  ],
  rows: [
    {
      game_id: 'g1',
      game_date: '2026-01-22',
      game_date_est: micros('2026-01-23T00:00:00Z'),
      game_status: '1',
    },
    {
      game_id: 'g2',
      game_date: '2026-01-22',
      game_date_est: micros('2026-01-23T03:00:00Z'),
      game_status: '1',
    },
    {
      game_id: 'g3',
      game_date: '2026-01-23',
      game_date_est: micros('2026-01-24T00:30:00Z'),
      game_status: '1',
    },
    {
      game_id: 'g4',
      game_date: '2026-01-24',
      game_date_est: micros('2026-01-25T00:00:00Z'),
      game_status: 'PPD',
    },
  ],
  bytesPerRow: 300,
};

interface QueryJob {
  configuration: {
    labels: Record<string, string>;
    query?: {
      query: string;
      maximumBytesBilled: string;
      queryParameters: Array<{ name: string; parameterValue: { value: string } }>;
    };
  };
}
interface Decision {
  workflow: string;
  action: string;
  reason: string;
}

/**
 * GAME_SCHEDULE_SOURCE=bigquery on the real app: hourly decisions driven by the schedule table
 * (local BigQuery REST server), its cached and refreshed query in the catalogue and the ledger,
 * and the workflows file's environment on /health, query labels and exported rows.
 */
describe('game schedule from BigQuery, and the environment (real app, local BigQuery REST server, ManualClock)', () => {
  const dir = makeTempDir('shotclock-game-schedule-');
  let bigquery: FakeBigQueryServer;
  let stub: ScraperStub;
  let clock: ManualClock;
  let test: TestApp;
  let server: Parameters<typeof request>[0];

  const scheduleJobs = () =>
    bigquery
      .requestsTo('POST', /^\/bigquery\/v2\/projects\/shotclock-test\/jobs$/)
      .map((r) => r.body as QueryJob)
      .filter((job) => job.configuration.query?.query.includes('nbac_schedule'));
  const dateParams = (job: QueryJob) =>
    job.configuration.query!.queryParameters.map((p) => [p.name, p.parameterValue.value]);
  const evaluate = async (status = 200) =>
    (await request(server).post('/v1/workflows/evaluate').expect(status)).body as {
      local_date: string;
      decisions: Decision[];
      message?: string;
    };
  const betting = (decisions: Decision[]) => decisions.find((d) => d.workflow === 'betting_lines')!;

  beforeAll(async () => {
    bigquery = await new FakeBigQueryServer().start();
    bigquery.plantTable(PROJECT, 'nba_raw', 'nbac_schedule', { ...SCHEDULE });
    stub = await ScraperStub.start();
    const workflowsPath = join(dir.path, 'workflows.yaml');
    writeFileSync(workflowsPath, WORKFLOWS_YAML);
    // 20:00Z is 12:00 in Los Angeles on the 22nd.
    clock = new ManualClock('2026-01-22T20:00:00.000Z');
    test = await startTestApp(
      {
        LOG_LEVEL: 'error',
        WORKFLOWS_CONFIG_PATH: workflowsPath,
        SCRAPER_SERVICE_URL: stub.url,
        GAME_SCHEDULE_SOURCE: 'bigquery',
        ANALYTICS_SINK: 'bigquery',
        ANALYTICS_EXPORT_BATCH_ROWS: '1',
        BIGQUERY_PROJECT_ID: PROJECT,
        BIGQUERY_API_ENDPOINT: bigquery.url,
        BIGQUERY_MAX_BYTES_BILLED: String(CAP),
      },
      { clock },
    );
    server = test.app.getHttpServer();
  });
  afterAll(async () => {
    await test?.close();
    await stub?.close();
    await bigquery?.stop();
    dir.cleanup();
  });

  it('on a game day, runs the game-aware workflow from the schedule read with a partition filter, capped and labelled', async () => {
    const evaluation = await evaluate();

    expect(evaluation.local_date).toBe('2026-01-22');
    expect(betting(evaluation.decisions)).toMatchObject({
      action: 'RUN',
      reason: expect.stringContaining('2 games today, first game 16:00'),
    });
    const jobs = scheduleJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.configuration.labels).toEqual({
      module: 'cost',
      query_name: 'game_schedule',
      env: ENVIRONMENT,
    });
    expect(jobs[0]!.configuration.query!.maximumBytesBilled).toBe(String(CAP));
    expect(jobs[0]!.configuration.query!.query).toMatch(
      /FROM `shotclock-test\.nba_raw\.nbac_schedule` AS s\s+WHERE s\.game_date BETWEEN @from_date AND @to_date/,
    );
    expect(dateParams(jobs[0]!)).toEqual([
      ['from_date', '2026-01-22'],
      ['to_date', '2026-01-23'],
    ]);
  });

  it('within the refresh interval the next decisions reuse the answer; after it, the schedule is read again', async () => {
    clock.advanceMs(2 * HOUR_MS);
    expect(betting((await evaluate()).decisions).reason).toContain('first game 16:00');
    expect(scheduleJobs()).toHaveLength(1);

    clock.advanceMs(4 * HOUR_MS); // 6 h after the first read: 18:00 in Los Angeles
    await evaluate();
    expect(scheduleJobs()).toHaveLength(2);

    const catalogue = (await request(server).get('/v1/analytics/queries').expect(200)).body as {
      queries: Array<{ name: string; external_table?: string; cache: Record<string, number> }>;
    };
    expect(catalogue.queries.find((q) => q.name === 'game_schedule')).toMatchObject({
      external_table: 'nba_raw.nbac_schedule',
      cache: { max_age_ms: 6 * HOUR_MS, hits: 1, misses: 2 },
    });
    type Entry = Record<string, number | string | boolean>;
    const ledger = (await request(server).get('/v1/cost?from=2026-01-22&to=2026-01-23').expect(200))
      .body as { days: Array<{ day: string; queries: Entry[] }> };
    const entries = ledger.days.flatMap((day) =>
      day.queries.filter((q) => q.query_name === 'game_schedule'),
    );
    expect(entries.reduce((sum, q) => sum + Number(q.requests), 0)).toBe(3);
    expect(entries.reduce((sum, q) => sum + Number(q.jobs), 0)).toBe(2);
    expect(entries.reduce((sum, q) => sum + Number(q.app_cache_hits), 0)).toBe(1);
    expect(entries.reduce((sum, q) => sum + Number(q.bytes_billed), 0)).toBe(2 * 10_485_760);
  });

  it('on an off day (only a postponed game), skips it', async () => {
    clock.advanceMs(42 * HOUR_MS); // 12:00 in Los Angeles on the 24th

    const evaluation = await evaluate();

    expect(evaluation.local_date).toBe('2026-01-24');
    expect(betting(evaluation.decisions)).toMatchObject({
      action: 'SKIP',
      reason: 'No games scheduled today',
    });
    expect(dateParams(scheduleJobs().at(-1)!)).toEqual([
      ['from_date', '2026-01-24'],
      ['to_date', '2026-01-25'],
    ]);
  });

  it('when the schedule cannot be read and no answer is known, skips the workflows that need games (never a gameless day) and decides the others', async () => {
    bigquery.failQueriesWith('backendError', 'Backend error. Job aborted.');
    clock.advanceMs(24 * HOUR_MS); // the 25th: never read

    const unreadable = await evaluate();
    expect(unreadable.local_date).toBe('2026-01-25');
    expect(betting(unreadable.decisions)).toMatchObject({
      action: 'SKIP',
      reason: 'Game schedule unavailable (see the game_schedule_unavailable alert)',
    });
    const others = unreadable.decisions.find((d) => d.workflow === 'morning_operations')!;
    expect(others.reason).not.toMatch(/schedule/i);
    const alert = () => request(server).get('/v1/alerts/game-schedule-unavailable:2026-01-25');
    await eventually(async () => (await alert()).status === 200, 'the critical alert');
    expect((await alert()).body).toMatchObject({
      kind: 'game_schedule_unavailable',
      severity: 'critical',
    });

    bigquery.stopFailingQueries();
    clock.advanceMs(HOUR_MS); // the next hour reads the schedule again
    const next = await evaluate();
    expect(next.local_date).toBe('2026-01-25');
    expect(betting(next.decisions).reason).toBe('No games scheduled today');
  });

  it('shows the environment on /health and puts it on every exported row', async () => {
    const health = await request(server).get('/health');
    expect(health.body.environment).toBe(ENVIRONMENT);

    // A run of the workflow against the scraper stub: its execution row is exported too.
    const tables = () => ({
      decisions: bigquery.tables.get(`${PROJECT}/nba_orchestration/workflow_decisions`)?.rows ?? [],
      executions:
        bigquery.tables.get(`${PROJECT}/nba_orchestration/workflow_executions`)?.rows ?? [],
    });
    await request(server).post('/v1/workflows/betting_lines/execute').expect(202);
    await eventually(
      () => tables().decisions.length >= 4 && tables().executions.length >= 1,
      'exported decisions and the execution',
    );
    for (const row of [...tables().decisions, ...tables().executions])
      expect(row.environment).toBe(ENVIRONMENT);
  });
});

describe('game schedule source with the embedded analytics sink', () => {
  it('GAME_SCHEDULE_SOURCE=bigquery refuses to boot, saying what to set', () => {
    const dir = makeTempDir('shotclock-game-schedule-boot-');
    try {
      const result = spawnSync(process.execPath, [SERVICE_ENTRY], {
        env: {
          PATH: process.env.PATH,
          GAME_SCHEDULE_SOURCE: 'bigquery',
          SQLITE_PATH: join(dir.path, 'never.sqlite'),
          PORT: '0',
          HOST: '127.0.0.1',
        },
        encoding: 'utf8',
      });
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toContain(
        'GAME_SCHEDULE_SOURCE=bigquery reads nba_raw.nbac_schedule through the BigQuery analytics sink, but ANALYTICS_SINK=embedded; set ANALYTICS_SINK=bigquery',
      );
    } finally {
      dir.cleanup();
    }
  });

  it('game_schedule is listed but answers 409: the embedded sink holds no schedule table', async () => {
    const test = await startTestApp({ LOG_LEVEL: 'error' });
    try {
      const server = test.app.getHttpServer();
      const catalogue = await request(server).get('/v1/analytics/queries').expect(200);
      expect(catalogue.body.queries.map((q: { name: string }) => q.name)).toContain(
        'game_schedule',
      );
      const refused = await request(server).get('/v1/analytics/queries/game_schedule').expect(409);
      expect(refused.body.message).toMatch(/runs with ANALYTICS_SINK=bigquery only/);
    } finally {
      await test.close();
    }
  });
});
