import { AlertService } from '../../alerts/alert.service.js';
import { alertStream, type AlertRaised } from '../../alerts/alert.events.js';
import { ManualClock } from '../../../common/clock/clock.js';
import { loadConfig, type AppConfig } from '../../../common/config/index.js';
import type { RecordedEvent, Storage } from '../../../common/event-store/index.js';
import {
  FakeBigQueryServer,
  type PlantedTable,
  type RecordedRequest,
} from '../../../../test/support/fake-bigquery-server.js';
import { sqliteStorageFactory } from '../../../../test/support/sqlite-storage.factory.js';
import {
  analyticsQueriesStream,
  type AnalyticsQueryRan,
} from '../../cost/analytics-load.events.js';
import { createBigQueryClient } from '../../cost/bigquery/bigquery-client.factory.js';
import { BigQuerySink } from '../../cost/bigquery/bigquery-sink.js';
import { AnalyticsQueryService } from '../../cost/queries/analytics-query.service.js';
import { PartitionWatermarksReader } from '../../cost/queries/partition-watermarks.reader.js';
import type { WorkflowsSettings } from '../workflows-settings.token.js';
import { BigQueryGameSchedule } from './bigquery-game-schedule.adapter.js';
import { GameScheduleUnavailableError } from './game-schedule-unavailable.error.js';

const PROJECT = 'shotclock-test';
const MIB = 1_048_576;
const HOUR_MS = 3_600_000;
const CAP = 10 * MIB;
const micros = (iso: string) => String(Date.parse(iso) * 1000);

/** Eastern game dates; starts as TIMESTAMP instants. */
const schedule = (): PlantedTable => ({
  partitionColumn: 'game_date',
  fields: [
    { name: 'game_id', type: 'STRING' },
    { name: 'game_date', type: 'DATE' },
    { name: 'game_date_est', type: 'TIMESTAMP' },
    { name: 'game_status', type: 'STRING' },
  ],
  rows: [
    // 19:00 and 22:00 ET on the 22nd: 16:00 and 19:00 in Los Angeles.
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
      game_date: '2026-01-22',
      game_date_est: micros('2026-01-22T23:00:00Z'),
      game_status: 'Postponed',
    },
    // 12:30 ET on the 23rd: read for the 22nd in Los Angeles (two Eastern dates), not counted.
    {
      game_id: 'g4',
      game_date: '2026-01-23',
      game_date_est: micros('2026-01-23T17:30:00Z'),
      game_status: '1',
    },
    // The 24th: only a postponed game.
    {
      game_id: 'g5',
      game_date: '2026-01-24',
      game_date_est: micros('2026-01-25T00:00:00Z'),
      game_status: 'PPD',
    },
  ],
  bytesPerRow: 200,
});

interface QueryJob {
  jobReference: { jobId: string };
  configuration: {
    labels: Record<string, string>;
    query: {
      query: string;
      maximumBytesBilled: string;
      queryParameters: Array<{
        name: string;
        parameterType: { type: string };
        parameterValue: { value: string };
      }>;
    };
  };
}

/** The adapter on the real query path: BigQuery sink (real client, local REST server), SQLite store, alerts. */
describe('BigQueryGameSchedule (real query path, local BigQuery REST server, SQLite)', () => {
  const factory = sqliteStorageFactory();
  let bigquery: FakeBigQueryServer;
  let storage: Storage;
  let clock: ManualClock;
  let config: AppConfig;

  const queriesFor = (settings: WorkflowsSettings) =>
    new AnalyticsQueryService(
      new BigQuerySink({
        client: createBigQueryClient(config.analytics),
        analytics: config.analytics,
        timeouts: config.timeouts,
      }),
      storage,
      clock,
      config,
      new PartitionWatermarksReader(storage),
      settings,
    );
  const scheduleFor = (queries: AnalyticsQueryService) =>
    new BigQueryGameSchedule({
      queries,
      alerts: new AlertService(storage, clock),
      clock,
      timezone: 'America/Los_Angeles',
      table: 'nba_raw.nbac_schedule',
    });
  const queryJobs = () =>
    bigquery
      .requestsTo('POST', /^\/bigquery\/v2\/projects\/shotclock-test\/jobs$/)
      .map((r: RecordedRequest) => r.body as QueryJob);
  const events = async <T>(stream: string) => {
    const found: T[] = [];
    for await (const event of storage.events.readStream(stream))
      found.push((event as RecordedEvent<T>).data);
    return found;
  };

  beforeEach(async () => {
    bigquery = await new FakeBigQueryServer().start();
    bigquery.plantTable(PROJECT, 'nba_raw', 'nbac_schedule', schedule());
    clock = new ManualClock('2026-01-22T14:00:00.000Z');
    ({ storage } = await factory.create(clock));
    config = loadConfig({
      ANALYTICS_SINK: 'bigquery',
      BIGQUERY_PROJECT_ID: PROJECT,
      BIGQUERY_API_ENDPOINT: bigquery.url,
      BIGQUERY_MAX_BYTES_BILLED: String(CAP),
      GAME_SCHEDULE_SOURCE: 'bigquery',
    });
  });
  afterEach(async () => {
    await storage.close();
    await bigquery.stop();
  });
  afterAll(async () => {
    await factory.dispose();
  });

  it('reads the Eastern dates a local date overlaps with a partition filter, counts its played games, first game in the zone', async () => {
    const games = scheduleFor(
      queriesFor({ environment: 'Staging West', scheduleRefreshIntervalHours: 6 }),
    );

    expect(await games.gamesOn('2026-01-22')).toEqual({ count: 2, firstGameLocal: '16:00' });

    const jobs = queryJobs();
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.jobReference.jobId).toMatch(/^shotclock_query_game_schedule_/);
    expect(job.configuration.labels).toEqual({
      module: 'cost',
      query_name: 'game_schedule',
      env: 'staging_west',
    });
    expect(job.configuration.query.maximumBytesBilled).toBe(String(CAP));
    expect(job.configuration.query.query).toContain(
      'FROM `shotclock-test.nba_raw.nbac_schedule` AS s\nWHERE s.game_date BETWEEN @from_date AND @to_date',
    );
    expect(job.configuration.query.query).not.toMatch(/CURRENT_DATE|CURRENT_TIMESTAMP|NOW\s*\(/i);
    expect(
      job.configuration.query.queryParameters.map((p) => [
        p.name,
        p.parameterType.type,
        p.parameterValue.value,
      ]),
    ).toEqual([
      ['from_date', 'DATE', '2026-01-22'],
      ['to_date', 'DATE', '2026-01-23'],
    ]);
    const [ledger] = await events<AnalyticsQueryRan>(analyticsQueriesStream('2026-01-22'));
    expect(ledger).toMatchObject({
      query_name: 'game_schedule',
      labels: { module: 'cost', query_name: 'game_schedule', env: 'staging_west' },
      range: { from: '2026-01-22', to: '2026-01-23' },
      app_cache: 'miss',
      bytes_processed: 800, // four rows of the 22nd and 23rd
      bytes_billed: CAP,
      estimated: false,
    });
  });

  it('reuses a date answer for schedule_refresh_interval_hours, then reads it again', async () => {
    const games = scheduleFor(
      queriesFor({ environment: 'production', scheduleRefreshIntervalHours: 6 }),
    );
    await games.gamesOn('2026-01-22');
    clock.advanceMs(6 * HOUR_MS - 1);
    expect(await games.gamesOn('2026-01-22')).toEqual({ count: 2, firstGameLocal: '16:00' });
    expect(queryJobs()).toHaveLength(1);

    clock.advanceMs(1);
    await games.gamesOn('2026-01-22');
    expect(queryJobs()).toHaveLength(2);
    const ledger = await events<AnalyticsQueryRan>(analyticsQueriesStream('2026-01-22'));
    expect(ledger.map((entry) => [entry.app_cache, entry.bytes_billed])).toEqual([
      ['miss', CAP],
      ['hit', 0],
      ['miss', CAP],
    ]);
  });

  it('without schedule_refresh_interval_hours in the file, refreshes after TIMEOUT_GAME_SCHEDULE_REFRESH_MS', async () => {
    config = loadConfig({
      ANALYTICS_SINK: 'bigquery',
      BIGQUERY_PROJECT_ID: PROJECT,
      BIGQUERY_API_ENDPOINT: bigquery.url,
      TIMEOUT_GAME_SCHEDULE_REFRESH_MS: String(HOUR_MS),
    });
    const queries = queriesFor({ environment: 'production', scheduleRefreshIntervalHours: null });
    expect(queries.catalogue().queries.find((q) => q.name === 'game_schedule')).toMatchObject({
      external_table: 'nba_raw.nbac_schedule',
      tables: [],
      cache: { max_age_ms: HOUR_MS },
    });
    const games = scheduleFor(queries);
    await games.gamesOn('2026-01-22');
    clock.advanceMs(HOUR_MS);
    await games.gamesOn('2026-01-22');
    expect(queryJobs()).toHaveLength(2);
  });

  it('when a refresh fails, keeps the last answer of the date and raises a warning alert', async () => {
    const games = scheduleFor(
      queriesFor({ environment: 'production', scheduleRefreshIntervalHours: 6 }),
    );
    await games.gamesOn('2026-01-22');
    bigquery.failQueriesWith('backendError', 'Backend error. Job aborted.');
    clock.advanceMs(7 * HOUR_MS);

    expect(await games.gamesOn('2026-01-22')).toEqual({ count: 2, firstGameLocal: '16:00' });

    const [alert] = await events<AlertRaised>(alertStream('game-schedule-stale:2026-01-22'));
    expect(alert).toMatchObject({
      kind: 'game_schedule_stale',
      severity: 'warning',
      summary: expect.stringContaining(
        'decisions use its last answer, of 2026-01-22T14:00:00.000Z (2 games)',
      ),
      details: expect.objectContaining({
        game_dates: { from: '2026-01-22', to: '2026-01-23' },
        error: expect.stringContaining('Backend error. Job aborted.'),
      }),
    });
  });

  it('with no answer for the date, raises a critical alert and throws: the day is not taken as gameless', async () => {
    const games = scheduleFor(
      queriesFor({ environment: 'production', scheduleRefreshIntervalHours: 6 }),
    );
    bigquery.failQueriesWith('backendError', 'Backend error. Job aborted.');

    const failed = games.gamesOn('2026-01-24');
    await expect(failed).rejects.toBeInstanceOf(GameScheduleUnavailableError);
    await expect(failed).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Game schedule unavailable for 2026-01-24: reading nba_raw\.nbac_schedule failed/,
      ),
    });
    const [alert] = await events<AlertRaised>(alertStream('game-schedule-unavailable:2026-01-24'));
    expect(alert).toMatchObject({ kind: 'game_schedule_unavailable', severity: 'critical' });

    bigquery.stopFailingQueries();
    expect(await games.gamesOn('2026-01-24')).toEqual({ count: 0, firstGameLocal: null });
  });

  it('a query over maximumBytesBilled is a failed read, not an empty day', async () => {
    const games = scheduleFor(
      queriesFor({ environment: 'production', scheduleRefreshIntervalHours: 6 }),
    );
    bigquery.planted.get(`${PROJECT}.nba_raw.nbac_schedule`)!.bytesPerRow = 11 * MIB;

    await expect(games.gamesOn('2026-01-24')).rejects.toThrow(
      /Game schedule unavailable for 2026-01-24: .*would bill more than its cap of 10485760 bytes/,
    );
    expect(await events<AnalyticsQueryRan>(analyticsQueriesStream('2026-01-22'))).toEqual([]);
  });
});
