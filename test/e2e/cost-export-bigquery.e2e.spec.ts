import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { appendEvaluation } from '../support/cost-export-events.js';
import { FakeBigQueryServer } from '../support/fake-bigquery-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

/** ANALYTICS_SINK=bigquery wires the BigQuery adapter under the same export (local REST server). */
describe('analytics export with ANALYTICS_SINK=bigquery (real app, local BigQuery REST server)', () => {
  let bigquery: FakeBigQueryServer;
  let test: TestApp | undefined;

  beforeEach(async () => {
    bigquery = await new FakeBigQueryServer().start();
  });
  afterEach(async () => {
    await test?.close();
    test = undefined;
    await bigquery.stop();
  });

  it('creates the tables and loads the exported decisions with a load job', async () => {
    test = await startTestApp(
      {
        LOG_LEVEL: 'error',
        ANALYTICS_SINK: 'bigquery',
        BIGQUERY_PROJECT_ID: 'shotclock-test',
        BIGQUERY_API_ENDPOINT: bigquery.url,
        ANALYTICS_EXPORT_BATCH_ROWS: '1',
      },
      { clock: new ManualClock('2026-01-22T12:00:30.000Z') },
    );
    const storage: Storage = test.app.get(STORAGE);
    await appendEvaluation(storage, {
      evaluationId: 'ev-1',
      hourKey: '2026-01-22T07',
      evaluatedAt: '2026-01-22T12:00:00.000Z',
      decisions: [
        {
          workflow: 'morning_operations',
          action: 'SKIP',
          reason: 'Outside window',
          priority: 'CRITICAL',
          decision_type: 'self_aware',
        },
      ],
    });

    const decisionsTable = () =>
      bigquery.tables.get('shotclock-test/nba_orchestration/workflow_decisions');
    await eventually(() => (decisionsTable()?.rows.length ?? 0) === 1, 'one loaded decision row');
    expect(decisionsTable()!.rows[0]).toMatchObject({
      decision_id: 'ev-1:morning_operations',
      action: 'SKIP',
    });
    type Status = {
      sink: string;
      last_load: { table: string; rows: number; estimated: boolean } | null;
    };
    const exportStatus = async () =>
      (await request(test!.app.getHttpServer()).get('/v1/cost/export').expect(200)).body as Status;
    // The load is recorded (AnalyticsLoadCompleted) right after the job answered.
    await eventually(async () => (await exportStatus()).last_load !== null, 'the recorded load');
    const status = await exportStatus();
    expect(status.sink).toBe('bigquery');
    expect(status.last_load).toMatchObject({
      table: 'workflow_decisions',
      rows: 1,
      estimated: false,
    });
  });
});
