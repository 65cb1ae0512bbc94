import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import {
  WORKFLOW_EVENTS,
  workflowEvaluationStream,
  type WorkflowEvaluationRecorded,
} from '../../src/modules/workflows/workflow.events.js';
import { ScraperStub } from '../support/scraper-stub.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';
import { writeExecutionWorkflowsYaml } from '../support/workflows-execution-config.js';
import { executionEvents } from '../support/workflows-execution-fixtures.js';

// 15:00Z is 10:00 in New York: the evaluation hour is 2026-01-22T10.
const NOW = '2026-01-22T15:00:00.000Z';
const HOUR_KEY = '2026-01-22T10';
const EVALUATION_ID = `eval-${HOUR_KEY}`;

/** The execution endpoints on the real app (real SQLite, ManualClock) against a real scraper stub. */
describe('workflow execution endpoints (real app, real scraper stub)', () => {
  const dir = makeTempDir('shotclock-workflows-execution-');
  let stub: ScraperStub;
  let app: TestApp;
  let server: never;
  let storage: Storage;

  beforeEach(async () => {
    stub = await ScraperStub.start();
    app = await startTestApp(
      {
        WORKFLOWS_CONFIG_PATH: writeExecutionWorkflowsYaml(dir.path),
        SCRAPER_SERVICE_URL: stub.url,
        LOG_LEVEL: 'error',
      },
      { clock: new ManualClock(NOW) },
    );
    server = app.app.getHttpServer() as never;
    storage = app.app.get(STORAGE);
  });
  afterEach(async () => {
    await app.close();
    await stub.close();
  });
  afterAll(() => dir.cleanup());

  const recordEvaluation = (decisions: WorkflowEvaluationRecorded['decisions']) =>
    storage.events.append(
      workflowEvaluationStream(HOUR_KEY),
      [
        {
          type: WORKFLOW_EVENTS.evaluationRecorded,
          data: {
            evaluation_id: EVALUATION_ID,
            hour_key: HOUR_KEY,
            local_date: '2026-01-22',
            timezone: 'America/New_York',
            evaluated_at: NOW,
            decisions,
          } satisfies WorkflowEvaluationRecorded,
        },
      ],
      { expectedVersion: 'no-stream' },
    );
  const decision = (workflow: string, action: 'RUN' | 'SKIP') => ({
    workflow,
    action,
    reason: action === 'RUN' ? 'Within tolerance' : 'Outside window',
    priority: 'HIGH',
    decision_type: 'fixed_time',
  });
  const finishedOf = async (executionId: string) =>
    (await executionEvents(storage, executionId)).find(
      (e) => e.type === WORKFLOW_EVENTS.executionFinished,
    )?.data;
  const waitFinished = async (executionId: string) => {
    await eventually(
      async () => (await finishedOf(executionId)) !== undefined,
      `${executionId} finished`,
    );
    return (await finishedOf(executionId))!;
  };

  it('POST /v1/workflows/execute answers 404 before this hour is evaluated', async () => {
    const response = await request(server).post('/v1/workflows/execute').expect(404);
    expect(response.body.message).toBe(
      `no workflow evaluation for hour ${HOUR_KEY} (America/New_York); call POST /v1/workflows/evaluate first`,
    );
  });

  it('POST /v1/workflows/execute starts each RUN decision once, in the background', async () => {
    stub.program('a', { delayMs: 50 }).program('b', { delayMs: 50 }).program('c', { delayMs: 50 });
    await recordEvaluation([
      decision('wf_parallel', 'RUN'),
      decision('wf_slow', 'SKIP'),
      decision('wf_disabled', 'RUN'),
      decision('wf_gone', 'RUN'),
    ]);
    const executionId = `${EVALUATION_ID}:wf_parallel`;
    const first = await request(server).post('/v1/workflows/execute').expect(202);
    expect(first.body).toEqual({
      evaluation_id: EVALUATION_ID,
      hour_key: HOUR_KEY,
      started: [{ execution_id: executionId, workflow: 'wf_parallel' }],
      already_started: [],
      skipped: [
        { workflow: 'wf_disabled', reason: expect.stringContaining('disabled in') },
        { workflow: 'wf_gone', reason: expect.stringContaining('not in') },
      ],
    });
    const finished = await waitFinished(executionId);
    expect(finished).toMatchObject({ status: 'completed', counts: { success: 3 } });
    expect(stub.peakConcurrencyOf('wf_parallel')).toBe(2);
    const started = (await executionEvents(storage, executionId))[0]!.data;
    expect(started).toMatchObject({
      evaluation_id: EVALUATION_ID,
      trigger: 'scheduled',
      local_date: '2026-01-22',
      execution_mode: 'parallel',
      max_workers: 2,
    });

    const second = await request(server).post('/v1/workflows/execute').expect(202);
    expect(second.body.started).toEqual([]);
    expect(second.body.already_started).toEqual([
      { execution_id: executionId, workflow: 'wf_parallel' },
    ]);
    expect(stub.requests).toHaveLength(3);
  });

  it('ENABLE_PARALLEL_CONFIG off for the workflow: it runs one call at a time', async () => {
    await app.close();
    app = await startTestApp(
      {
        WORKFLOWS_CONFIG_PATH: writeExecutionWorkflowsYaml(dir.path),
        SCRAPER_SERVICE_URL: stub.url,
        ENABLE_PARALLEL_CONFIG: 'false',
        LOG_LEVEL: 'error',
      },
      { clock: new ManualClock(NOW) },
    );
    server = app.app.getHttpServer() as never;
    storage = app.app.get(STORAGE);
    stub.program('a', { delayMs: 40 }).program('b', { delayMs: 40 }).program('c', { delayMs: 40 });
    const response = await request(server).post('/v1/workflows/wf_parallel/execute').expect(202);
    await waitFinished(response.body.execution_id);
    expect(stub.peakConcurrencyOf('wf_parallel')).toBe(1);
    expect(stub.requests.map((r) => r.scraper)).toEqual(['a', 'b', 'c']);
  });

  it('POST /v1/workflows/:name/execute runs it now as a manual execution', async () => {
    const response = await request(server).post('/v1/workflows/wf_slow/execute').expect(202);
    expect(response.body).toEqual({
      execution_id: expect.stringMatching(/^manual:wf_slow:[0-9a-f-]{36}$/),
      workflow: 'wf_slow',
      trigger: 'manual',
      started_at: NOW,
    });
    const finished = await waitFinished(response.body.execution_id);
    expect(finished).toMatchObject({ status: 'completed', counts: { success: 2 } });
    expect(stub.requests.map((r) => [r.scraper, r.workflow, r.source])).toEqual([
      ['slow', 'wf_slow', 'CONTROLLER'],
      ['a', 'wf_slow', 'CONTROLLER'],
    ]);
    const started = (await executionEvents(storage, response.body.execution_id))[0]!.data;
    expect(started).toMatchObject({ trigger: 'manual', evaluation_id: null });
  });

  it('POST /v1/workflows/:name/execute: 404 for an unknown workflow, 409 for a disabled one', async () => {
    const unknown = await request(server).post('/v1/workflows/nope/execute').expect(404);
    expect(unknown.body.message).toContain('unknown workflow nope; known: wf_parallel, wf_slow');
    const disabled = await request(server).post('/v1/workflows/wf_disabled/execute').expect(409);
    expect(disabled.body.message).toContain('workflow wf_disabled is disabled');
    expect(stub.requests).toHaveLength(0);
  });

  it('a graceful shutdown during a run finishes the execution interrupted', async () => {
    // A store file of this test's own: TestApp.close() deletes the app's temp dir.
    const sqlitePath = join(dir.path, 'graceful.sqlite');
    const start = () =>
      startTestApp(
        {
          WORKFLOWS_CONFIG_PATH: writeExecutionWorkflowsYaml(dir.path),
          SCRAPER_SERVICE_URL: stub.url,
          LOG_LEVEL: 'error',
        },
        { clock: new ManualClock(NOW), sqlitePath },
      );
    await app.close();
    app = await start();
    server = app.app.getHttpServer() as never;
    stub.program('slow', { delayMs: 10_000 });
    const response = await request(server).post('/v1/workflows/wf_slow/execute').expect(202);
    await eventually(() => stub.calls('slow') === 1, 'the slow call in flight');
    await app.close();
    await eventually(() => stub.inFlight === 0, 'the abandoned call closed');
    app = await start();
    storage = app.app.get(STORAGE);
    const finished = await finishedOf(response.body.execution_id);
    expect(finished).toMatchObject({ status: 'interrupted', counts: { success: 0 } });
    expect(stub.calls('a')).toBe(0);
  });
});
