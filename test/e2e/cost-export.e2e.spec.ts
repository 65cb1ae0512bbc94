import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import {
  ANALYTICS_EVENTS,
  analyticsLoadsStream,
  type AnalyticsLoadCompleted,
} from '../../src/modules/cost/analytics-load.events.js';
import type { WorkflowDecision } from '../../src/modules/workflows/workflow.events.js';
import {
  appendEvaluation,
  appendExecutionFinish,
  appendExecutionStart,
  embeddedRows,
  type ExecutionRun,
} from '../support/cost-export-events.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const NOW = '2026-01-22T12:00:30.000Z';
const INTERVAL_MS = 60_000;

const decisions: WorkflowDecision[] = [
  {
    workflow: 'morning_operations',
    action: 'RUN',
    reason: 'In ideal window 06:00-10:00',
    priority: 'CRITICAL',
    decision_type: 'self_aware',
  },
  {
    workflow: 'injury_discovery',
    action: 'SKIP',
    reason: 'Ran 0.5h ago',
    priority: 'HIGH',
    decision_type: 'discovery',
  },
  {
    workflow: 'post_game_window_1',
    action: 'ABORT',
    reason: 'Schedule unavailable',
    priority: 'CRITICAL',
    decision_type: 'game_aware',
  },
];

const scheduledRun: ExecutionRun = {
  executionId: 'ev-1:morning_operations',
  workflow: 'morning_operations',
  evaluationId: 'ev-1',
  startedAt: '2026-01-22T12:00:05.000Z',
  outcomes: [
    ['nbac_schedule', 'success'],
    ['espn_roster', 'no_data'],
    ['bdl_box', 'failed'],
  ],
};
const manualRun: ExecutionRun = {
  executionId: 'manual-1',
  workflow: 'injury_discovery',
  evaluationId: null,
  startedAt: '2026-01-22T12:00:10.000Z',
  outcomes: [['nbac_injury_report', 'success']],
};

/** The export of decisions and executions into the embedded sink (real app, real SQLite). */
describe('analytics export to the embedded sink (real app, real SQLite, ManualClock)', () => {
  let clock: ManualClock;
  let test: TestApp | undefined;
  let storage: Storage;
  let server: Parameters<typeof request>[0];

  const start = async (env: Record<string, string>, sqlitePath?: string) => {
    clock = new ManualClock(NOW);
    test = await startTestApp(
      { LOG_LEVEL: 'error', ...env },
      { clock, ...(sqlitePath ? { sqlitePath } : {}) },
    );
    storage = test.app.get(STORAGE);
    server = test.app.getHttpServer();
  };
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  const exportStatus = async () => {
    const response = await request(server).get('/v1/cost/export').expect(200);
    return response.body as {
      sink: string;
      tables: Array<{ table: string; outcome: string }> | null;
      export: {
        state: string;
        lag_events: number;
        pending_rows: { workflow_decisions: number; workflow_executions: number };
        last_error: string | null;
        failed_attempts: number;
      };
      last_load: AnalyticsLoadCompleted | null;
      loads_today: { date: string; workflow_decisions: number; workflow_executions: number };
    };
  };
  const rows = (table: 'workflow_decisions' | 'workflow_executions') =>
    embeddedRows(test!.sqlitePath, table);
  const loadEvents = async () => {
    const found: AnalyticsLoadCompleted[] = [];
    for await (const event of storage.events.readStream(analyticsLoadsStream('2026-01-22'))) {
      if (event.type === ANALYTICS_EVENTS.loadCompleted) {
        found.push(event.data as AnalyticsLoadCompleted);
      }
    }
    return found;
  };

  /** The hour's evaluation (three decisions, ev-1). */
  const appendTheEvaluation = () =>
    appendEvaluation(storage, {
      evaluationId: 'ev-1',
      hourKey: '2026-01-22T07',
      evaluatedAt: '2026-01-22T12:00:00.000Z',
      decisions,
    });
  /** The evaluation, then its scheduled run started and finished `failed`. */
  const appendTheEvaluationAndAFailedRun = async () => {
    await appendTheEvaluation();
    await appendExecutionStart(storage, scheduledRun);
    await appendExecutionFinish(storage, scheduledRun, 'failed');
  };

  it('exports each decision and each finished execution as one row, recording every load', async () => {
    await start({ ANALYTICS_EXPORT_BATCH_ROWS: '1' });
    await appendTheEvaluationAndAFailedRun();
    await appendExecutionStart(storage, manualRun);

    await eventually(
      () => rows('workflow_decisions').length === 3 && rows('workflow_executions').length === 1,
      'three decision rows and one execution row',
    );
    expect(rows('workflow_decisions')).toEqual([
      expect.objectContaining({
        decision_id: 'ev-1:injury_discovery',
        action: 'SKIP',
        alert_level: 'none',
        scrapers_triggered: '[]',
      }),
      expect.objectContaining({
        decision_id: 'ev-1:morning_operations',
        decision_time: '2026-01-22T12:00:00.000Z',
        action: 'RUN',
        alert_level: 'info',
        environment: 'dev',
        triggered_by: 'controller',
      }),
      expect.objectContaining({
        decision_id: 'ev-1:post_game_window_1',
        action: 'ABORT',
        alert_level: 'critical',
      }),
    ]);
    const runScrapers = JSON.parse(String(rows('workflow_decisions')[1]!.scrapers_triggered));
    expect(runScrapers.length).toBeGreaterThan(0); // from config/workflows.yaml
    expect(rows('workflow_executions')).toEqual([
      {
        execution_id: 'ev-1:morning_operations',
        execution_time: '2026-01-22T12:00:05.000Z',
        workflow_name: 'morning_operations',
        decision_id: 'ev-1:morning_operations',
        scrapers_requested: '["nbac_schedule","espn_roster","bdl_box"]',
        scrapers_triggered: 3,
        scrapers_succeeded: 2,
        scrapers_failed: 1,
        scraper_execution_ids:
          '["ev-1:morning_operations:main:nbac_schedule","ev-1:morning_operations:main:espn_roster","ev-1:morning_operations:main:bdl_box"]',
        status: 'failed',
        duration_seconds: 2,
        error_message: 'bdl_box: failed',
        environment: 'dev', // config/workflows.yaml
        created_at: expect.any(String),
      },
    ]);

    // The manual run has no row until it finishes.
    await appendExecutionFinish(storage, manualRun, 'completed');
    await eventually(() => rows('workflow_executions').length === 2, 'the manual run row');
    expect(rows('workflow_executions')[1]).toMatchObject({
      execution_id: 'manual-1',
      decision_id: null,
      status: 'completed',
    });

    await eventually(async () => (await exportStatus()).export.lag_events === 0, 'no lag');
    const status = await exportStatus();
    expect(status).toMatchObject({
      sink: 'embedded',
      tables: [
        { table: 'workflow_decisions', outcome: 'created' },
        { table: 'workflow_executions', outcome: 'created' },
      ],
      export: {
        state: 'running',
        pending_rows: { workflow_decisions: 0, workflow_executions: 0 },
        last_error: null,
      },
      loads_today: { date: '2026-01-22' },
    });
    const loads = await loadEvents();
    expect(loads.map((load) => load.table).sort()).toEqual([
      'workflow_decisions',
      'workflow_executions',
      'workflow_executions',
    ]);
    expect(loads.reduce((sum, load) => sum + load.rows, 0)).toBe(5);
    expect(loads.every((load) => load.estimated && load.bytes > 0)).toBe(true);
    expect(status.loads_today).toMatchObject({ workflow_decisions: 1, workflow_executions: 2 });
    expect(status.last_load).toMatchObject({ table: 'workflow_executions', rows: 1 });
  });

  it('re-exports the whole log on rebuild without duplicating a row', async () => {
    await start({ ANALYTICS_EXPORT_BATCH_ROWS: '1' });
    await appendTheEvaluationAndAFailedRun();
    await eventually(
      () => rows('workflow_decisions').length === 3 && rows('workflow_executions').length === 1,
      'the first export',
    );
    const before = {
      decisions: rows('workflow_decisions'),
      executions: rows('workflow_executions'),
    };
    const loadsBefore = (await loadEvents()).length;

    await request(server).post('/v1/cost/export/rebuild').expect(202, { rebuild: 'started' });

    await eventually(
      async () => (await loadEvents()).length > loadsBefore,
      'the replay to load again',
    );
    await eventually(async () => (await exportStatus()).export.lag_events === 0, 'no lag');
    expect(rows('workflow_decisions')).toEqual(before.decisions);
    expect(rows('workflow_executions')).toEqual(before.executions);
  });

  it('loads a batch smaller than the batch size once its oldest row has waited the interval', async () => {
    await start({
      ANALYTICS_EXPORT_BATCH_ROWS: '1000',
      TIMEOUT_ANALYTICS_EXPORT_INTERVAL_MS: String(INTERVAL_MS),
    });
    await appendTheEvaluation();
    await eventually(
      async () => (await exportStatus()).export.pending_rows.workflow_decisions === 3,
      'three pending decision rows',
    );
    expect(rows('workflow_decisions')).toHaveLength(0);

    clock.advanceMs(INTERVAL_MS);
    await eventually(() => rows('workflow_decisions').length === 3, 'the interval load');
    expect((await exportStatus()).export.pending_rows.workflow_decisions).toBe(0);
  });

  it('retries a failed load and loses no row (table locked beyond the busy timeout)', async () => {
    await start({
      ANALYTICS_EXPORT_BATCH_ROWS: '1000',
      TIMEOUT_ANALYTICS_EXPORT_INTERVAL_MS: String(INTERVAL_MS),
      TIMEOUT_STORE_BUSY_MS: '50',
      // The locked file also stops lease renewals: keep the export's lease while the lock lasts.
      TIMEOUT_LEASE_TTL_MS: '30000',
      TIMEOUT_LEASE_RENEW_MS: '10000',
    });
    await appendTheEvaluationAndAFailedRun();
    await eventually(async () => {
      const pending = (await exportStatus()).export.pending_rows;
      return pending.workflow_decisions === 3 && pending.workflow_executions === 1;
    }, 'four pending rows');

    const locker = new DatabaseSync(test!.sqlitePath);
    locker.exec('BEGIN IMMEDIATE');
    try {
      clock.advanceMs(INTERVAL_MS);
      // One snapshot for every check: between attempts the export is `failed`, and it shows
      // `catching_up` again while it retries, so a second read may land in a retry.
      let failing = await exportStatus();
      await eventually(async () => {
        failing = await exportStatus();
        return failing.export.failed_attempts >= 2 && failing.export.state === 'failed';
      }, 'two failed load attempts, failed between them');
      expect(failing.export.state).toBe('failed');
      expect(failing.export.last_error).toMatch(/workflow_decisions.*(locked|busy)/i);
      expect(rows('workflow_decisions')).toHaveLength(0);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }

    await eventually(
      () => rows('workflow_decisions').length === 3 && rows('workflow_executions').length === 1,
      'every row after the lock is released',
    );
    await eventually(async () => (await exportStatus()).export.state === 'running', 'recovery');
    expect((await exportStatus()).export).toMatchObject({ failed_attempts: 0, last_error: null });
  });

  it('re-reads rows pending at a restart from the log (the checkpoint had not moved)', async () => {
    const dir = makeTempDir('shotclock-cost-restart-');
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    const env = {
      ANALYTICS_EXPORT_BATCH_ROWS: '1000',
      TIMEOUT_ANALYTICS_EXPORT_INTERVAL_MS: String(INTERVAL_MS),
    };
    try {
      await start(env, sqlitePath);
      await appendTheEvaluation();
      await eventually(
        async () => (await exportStatus()).export.pending_rows.workflow_decisions === 3,
        'three pending rows before the restart',
      );
      await test!.close();

      await start(env, sqlitePath);
      await eventually(
        async () => (await exportStatus()).export.pending_rows.workflow_decisions === 3,
        'the same three rows pending after the restart',
      );
      clock.advanceMs(INTERVAL_MS);
      await eventually(() => rows('workflow_decisions').length === 3, 'the load after restart');
    } finally {
      await test?.close();
      test = undefined;
      dir.cleanup();
    }
  });
});
