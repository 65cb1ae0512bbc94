import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import {
  ANALYTICS_EVENTS,
  analyticsLoadsStream,
  type AnalyticsLoadCompleted,
} from '../../src/modules/cost/analytics-load.events.js';
import {
  PARTITION_WATERMARKS,
  watermarkKey,
  type PartitionWatermark,
} from '../../src/modules/cost/queries/partition-watermarks.projection.js';
import type { WorkflowDecision } from '../../src/modules/workflows/workflow.events.js';
import {
  appendEvaluation,
  appendExecutionFinish,
  appendExecutionStart,
  embeddedRows,
  type ExecutionRun,
} from '../support/cost-export-events.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const NOW = '2026-01-22T12:40:00.000Z';
const DAY = '2026-01-22';

const run = (decision: Omit<WorkflowDecision, 'reason' | 'priority' | 'decision_type'>) => ({
  ...decision,
  reason: 'planted',
  priority: 'HIGH',
  decision_type: 'self_aware' as const,
});

/** Planted evaluations: which RUN decisions an execution answers is what the queries find. */
const EVALUATIONS = [
  { id: 'ev-0950', hourKey: `${DAY}T04`, at: '09:50', runs: ['morning_operations'] },
  { id: 'ev-1150', hourKey: `${DAY}T06`, at: '11:50', runs: ['betting_lines', 'injury_discovery'] },
  { id: 'ev-1215', hourKey: `${DAY}T07`, at: '12:15', runs: ['post_game_window_1'] },
  { id: 'ev-1235', hourKey: `${DAY}T08`, at: '12:35', runs: ['morning_operations'] },
];

interface PlantedRun {
  id: string;
  workflow: string;
  evaluationId?: string;
  at: string;
  status: 'completed' | 'failed';
  durationS?: number;
}

const RUNS: PlantedRun[] = [
  {
    id: 'r-bl',
    workflow: 'betting_lines',
    evaluationId: 'ev-1150',
    at: `${DAY}T11:52:00`,
    status: 'completed',
  },
  { id: 'bl-1', workflow: 'betting_lines', at: `${DAY}T12:00:00`, status: 'completed' },
  { id: 'bl-2', workflow: 'betting_lines', at: `${DAY}T12:05:00`, status: 'completed' },
  { id: 'bl-3', workflow: 'betting_lines', at: `${DAY}T12:10:00`, status: 'failed' },
  { id: 'bl-old', workflow: 'betting_lines', at: `${DAY}T11:00:00`, status: 'failed' },
  ...[2, 2, 2, 2, 20].map((durationS, i) => ({
    id: `inj-${i + 1}`,
    workflow: 'injury_discovery',
    at: `${DAY}T12:0${i}:30`,
    status: (i === 2 ? 'failed' : 'completed') as PlantedRun['status'],
    durationS,
  })),
  { id: 'mo-1', workflow: 'morning_operations', at: '2026-01-19T10:00:00', status: 'completed' },
  { id: 'mo-2', workflow: 'morning_operations', at: '2026-01-19T10:30:00', status: 'failed' },
];

const executionRun = (planted: PlantedRun): ExecutionRun => ({
  executionId: planted.evaluationId ? `${planted.evaluationId}:${planted.workflow}` : planted.id,
  workflow: planted.workflow,
  evaluationId: planted.evaluationId ?? null,
  startedAt: `${planted.at}.000Z`,
  outcomes: [['nbac_schedule_api', planted.status === 'failed' ? 'failed' : 'success']],
  durationMs: (planted.durationS ?? 2) * 1000,
});

interface Answer<T> {
  query: string;
  range: { from: string; to: string };
  result: T;
  source: {
    app_cache: 'hit' | 'miss' | 'off';
    row_count: number;
    watermarks: Record<string, string>;
    statistics: { totalBytesProcessed: number; totalBytesBilled: number; estimated: boolean };
  };
}

/** Named queries, their cache and the cost ledger on the embedded sink (real app, real SQLite). */
describe('named analytics queries on the embedded sink (real app, real SQLite, ManualClock)', () => {
  let clock: ManualClock;
  let test: TestApp;
  let storage: Storage;
  let server: Parameters<typeof request>[0];
  let exportedRuns = 0;

  /** Every answer, to compare the ledger with what the API said. */
  const answers: Array<Answer<unknown>> = [];
  const ask = async <T>(name: string, query = '') => {
    const answer = (await request(server).get(`/v1/analytics/queries/${name}${query}`).expect(200))
      .body as Answer<T>;
    answers.push(answer);
    return answer;
  };
  const addRun = async (planted: PlantedRun) => {
    const execution = executionRun(planted);
    await appendExecutionStart(storage, execution);
    await appendExecutionFinish(storage, execution, planted.status);
    exportedRuns += 1;
    await eventually(
      () => embeddedRows(test.sqlitePath, 'workflow_executions').length === exportedRuns,
      `execution ${execution.executionId} exported`,
    );
  };
  const watermarkOf = (day: string) =>
    storage.readModels.get<PartitionWatermark>(
      PARTITION_WATERMARKS,
      watermarkKey('workflow_executions', day),
    );

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    test = await startTestApp({ LOG_LEVEL: 'error', ANALYTICS_EXPORT_BATCH_ROWS: '1' }, { clock });
    storage = test.app.get(STORAGE);
    server = test.app.getHttpServer();
    for (const evaluation of EVALUATIONS) {
      await appendEvaluation(storage, {
        evaluationId: evaluation.id,
        hourKey: evaluation.hourKey,
        evaluatedAt: `${DAY}T${evaluation.at}:00.000Z`,
        decisions: [
          ...evaluation.runs.map((workflow) => run({ workflow, action: 'RUN' })),
          ...(evaluation.id === 'ev-1235'
            ? [run({ workflow: 'injury_discovery', action: 'SKIP' })]
            : []),
        ],
      });
    }
    for (const planted of RUNS) await addRun(planted);
    await eventually(
      () => embeddedRows(test.sqlitePath, 'workflow_decisions').length === 6,
      'six decision rows',
    );
    await eventually(async () => (await watermarkOf(DAY)) !== null, 'watermark of today');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('pending_run_decisions: RUN decisions of the last hour without an execution', async () => {
    const answer = await ask<{
      decisions: Array<{ decision_id: string; minutes_pending: number }>;
    }>('pending_run_decisions');
    expect(answer.range).toEqual({ from: DAY, to: DAY });
    expect(answer.result.decisions).toEqual([
      expect.objectContaining({ decision_id: 'ev-1150:injury_discovery', minutes_pending: 50 }),
      expect.objectContaining({ decision_id: 'ev-1215:post_game_window_1', minutes_pending: 25 }),
      expect.objectContaining({ decision_id: 'ev-1235:morning_operations', minutes_pending: 5 }),
    ]);
  });

  it('missing_executions: RECENT, DELAYED and MISSED', async () => {
    const answer = await ask<{
      counts: Record<string, number>;
      decisions: Array<{ decision_id: string; class: string }>;
    }>('missing_executions');
    expect(answer.result.counts).toEqual({ RECENT: 1, DELAYED: 1, MISSED: 2 });
    expect(answer.result.decisions.map((d) => [d.decision_id, d.class])).toEqual([
      ['ev-0950:morning_operations', 'MISSED'],
      ['ev-1150:injury_discovery', 'MISSED'],
      ['ev-1215:post_game_window_1', 'DELAYED'],
      ['ev-1235:morning_operations', 'RECENT'],
    ]);
  });

  it('success_rate_7d, failure_spike and slow_runs on the planted runs', async () => {
    expect((await ask('success_rate_7d')).result).toEqual({
      workflows: [
        { workflow_name: 'betting_lines', runs: 5, succeeded: 3, failed: 2, success_rate: 0.6 },
        { workflow_name: 'injury_discovery', runs: 5, succeeded: 4, failed: 1, success_rate: 0.8 },
        {
          workflow_name: 'morning_operations',
          runs: 2,
          succeeded: 1,
          failed: 1,
          success_rate: 0.5,
        },
      ],
    });
    expect((await ask('failure_spike')).result).toEqual({
      spiking: ['betting_lines'],
      workflows: [
        { workflow_name: 'betting_lines', runs: 4, failed: 1, failure_rate: 0.25, spike: true },
        { workflow_name: 'injury_discovery', runs: 5, failed: 1, failure_rate: 0.2, spike: false },
      ],
    });
    expect((await ask('slow_runs')).result).toEqual({
      runs: [
        {
          execution_id: 'inj-5',
          workflow_name: 'injury_discovery',
          run_time: `${DAY}T12:04:30.000Z`,
          duration_seconds: 20,
          average_seconds: 5.6,
        },
      ],
    });
    // A range that leaves out 2026-01-19 leaves out morning_operations.
    const narrow = await ask<{ workflows: Array<{ workflow_name: string }> }>(
      'success_rate_7d',
      `?from=2026-01-20&to=${DAY}`,
    );
    expect(narrow.result.workflows.map((w) => w.workflow_name)).toEqual([
      'betting_lines',
      'injury_discovery',
    ]);
  });

  it('caches until rows land in a covered partition, not when they land elsewhere; the ledger sums it', async () => {
    const before = await ask<{ workflows: Array<{ runs: number }> }>(
      'success_rate_7d',
      `?from=2026-01-16&to=${DAY}`,
    );
    const again = await ask('success_rate_7d', `?from=2026-01-16&to=${DAY}`);
    expect(again.source.app_cache).toBe('hit');
    expect(again.result).toEqual(before.result);

    // A run on 2026-01-10 is outside 01-16..22: once its load is projected, the answer still hits.
    await addRun({
      id: 'old-1',
      workflow: 'betting_lines',
      at: '2026-01-10T10:00:00',
      status: 'failed',
    });
    await eventually(async () => (await watermarkOf('2026-01-10')) !== null, 'watermark of 01-10');
    expect((await ask('success_rate_7d', `?from=2026-01-16&to=${DAY}`)).source.app_cache).toBe(
      'hit',
    );

    // A run today moves today's watermark: the next answer misses and counts it.
    const todayBefore = (await watermarkOf(DAY))!.watermark;
    await addRun({
      id: 'mo-3',
      workflow: 'morning_operations',
      at: `${DAY}T12:30:00`,
      status: 'completed',
    });
    await eventually(
      async () => (await watermarkOf(DAY))!.watermark !== todayBefore,
      "today's watermark moves",
    );
    const after = await ask<{ workflows: Array<{ workflow_name: string; runs: number }> }>(
      'success_rate_7d',
      `?from=2026-01-16&to=${DAY}`,
    );
    expect(after.source.app_cache).toBe('miss');
    expect(after.result.workflows.find((w) => w.workflow_name === 'morning_operations')?.runs).toBe(
      3,
    );

    // Past the maximum age (1 h for queries reading executions) it misses without new rows.
    expect((await ask('success_rate_7d', `?from=2026-01-16&to=${DAY}`)).source.app_cache).toBe(
      'hit',
    );
    clock.advanceMs(3_600_000);
    expect((await ask('success_rate_7d', `?from=2026-01-16&to=${DAY}`)).source.app_cache).toBe(
      'miss',
    );

    const catalogue = (await request(server).get('/v1/analytics/queries').expect(200)).body as {
      queries: Array<{ name: string; cache: { hits: number; misses: number; max_age_ms: number } }>;
    };
    expect(catalogue.queries.find((q) => q.name === 'success_rate_7d')?.cache).toMatchObject({
      max_age_ms: 3_600_000,
    });

    type Ledger = {
      estimated: boolean;
      days: Array<{
        day: string;
        queries: Array<Record<string, number | string | boolean>>;
        export: Array<{ table: string; loads: number; rows: number; bytes: number }>;
      }>;
      totals: { export: { loads: number; rows: number } };
    };
    const ledger = async () =>
      (await request(server).get(`/v1/cost?from=${DAY}&to=2026-01-23`).expect(200)).body as Ledger;
    const asked = answers.filter((a) => a.query === 'success_rate_7d');
    await eventually(async () => {
      const today = (await ledger()).days.find((d) => d.day === DAY);
      return (
        today?.queries.find((q) => q.query_name === 'success_rate_7d')?.requests === asked.length
      );
    }, 'the ledger counts every success_rate_7d request');
    const loads: AnalyticsLoadCompleted[] = [];
    for await (const event of storage.events.readStream(analyticsLoadsStream(DAY))) {
      if (event.type === ANALYTICS_EVENTS.loadCompleted)
        loads.push(event.data as AnalyticsLoadCompleted);
    }
    const report = await ledger();
    expect(report.estimated).toBe(true);
    expect(report.totals.export).toMatchObject({
      loads: loads.length,
      rows: loads.reduce((sum, load) => sum + load.rows, 0),
    });
    const today = report.days.find((d) => d.day === DAY)!;
    const successRate = today.queries.find((q) => q.query_name === 'success_rate_7d')!;
    const jobs = asked.filter((a) => a.source.app_cache === 'miss');
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(successRate).toMatchObject({
      requests: asked.length,
      app_cache_hits: asked.length - jobs.length,
      jobs: jobs.length,
      bigquery_cache_hits: 0,
      bytes_processed: jobs.reduce((sum, a) => sum + a.source.statistics.totalBytesProcessed, 0),
      bytes_billed: jobs.reduce((sum, a) => sum + a.source.statistics.totalBytesBilled, 0),
      estimated: true,
    });
    expect(successRate.usd).toBeCloseTo((Number(successRate.bytes_billed) / 2 ** 40) * 6.25, 6);
    // More rows in the covered partitions: more bytes read.
    expect(before.source.statistics.totalBytesProcessed).toBeLessThan(
      after.source.statistics.totalBytesProcessed,
    );
  });

  it('dry run: the embedded estimate of bytes and USD, free; unknown query 404, bad range 400', async () => {
    const answer = await ask('slow_runs');
    const dry = await request(server).post('/v1/cost/dry-run/slow_runs').expect(200);
    expect(dry.body).toMatchObject({
      query: 'slow_runs',
      dry_run: true,
      sink: 'embedded',
      estimated: true,
      bytes_processed: answer.source.statistics.totalBytesProcessed,
      bytes_billed_estimate: 10_485_760,
      usd_estimate: expect.closeTo((10_485_760 / 2 ** 40) * 6.25, 6),
    });
    const unknown = await request(server).post('/v1/cost/dry-run/everything').expect(404);
    expect(unknown.body.message).toContain('pending_run_decisions, missing_executions');
    const bad = await request(server)
      .get('/v1/analytics/queries/slow_runs?from=2026-01-23&to=2026-01-22')
      .expect(400);
    expect(bad.body.message).toContain('from=2026-01-23 is after to=2026-01-22');
    await request(server).get('/v1/cost?from=2026-01-22').expect(400);
  });
});
