import type { NewEvent, Storage } from '../../../common/event-store/index.js';
import type { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { projectionHarness } from '../../../../test/support/projection-harness.js';
import {
  WORKFLOW_EVENTS,
  workflowExecutionStream,
  type WorkflowExecutionFinished,
  type WorkflowExecutionStarted,
  type WorkflowStepFinished,
} from '../workflow.events.js';
import { workflowExecutionsProjection } from './workflow-executions.projection.js';
import {
  WORKFLOW_COLLECTIONS as C,
  WORKFLOW_EXECUTIONS_PROJECTION,
  type ExecutionView,
  type WorkflowDayView,
} from './workflow-history.view.js';

const started = (
  id: string,
  startedAt: string,
  localDate = '2026-01-22',
): NewEvent<WorkflowExecutionStarted> => ({
  type: WORKFLOW_EVENTS.executionStarted,
  data: {
    execution_id: id,
    workflow: 'wf',
    evaluation_id: 'ev-1',
    trigger: 'scheduled',
    local_date: localDate,
    started_at: startedAt,
    execution_mode: 'parallel',
    max_workers: 2,
    scrapers: ['a', 'b'],
  },
});
const step = (
  id: string,
  scraper: string,
  outcome: WorkflowStepFinished['outcome'],
): NewEvent<WorkflowStepFinished> => ({
  type: WORKFLOW_EVENTS.stepFinished,
  data: {
    execution_id: id,
    workflow: 'wf',
    step: 'main',
    scraper,
    outcome,
    attempts: 1,
    duration_ms: 500,
    row_count: outcome === 'success' ? 10 : null,
    error: outcome === 'failed' ? 'HTTP 500' : null,
    finished_at: '2026-01-22T11:00:01.000Z',
  },
});
const finished = (
  id: string,
  status: WorkflowExecutionFinished['status'],
  counts: WorkflowExecutionFinished['counts'] = {
    success: 1,
    no_data: 0,
    failed: 1,
    timed_out: 0,
    circuit_open: 0,
  },
): NewEvent<WorkflowExecutionFinished> => ({
  type: WORKFLOW_EVENTS.executionFinished,
  data: {
    execution_id: id,
    workflow: 'wf',
    status,
    counts,
    duration_ms: 2500,
    errors: status === 'completed' ? [] : ['b: HTTP 500'],
    finished_at: '2026-01-22T11:00:02.500Z',
  },
});

/** The real projection on a real SQLite store, run by the real runner. */
describe('workflow-executions projection (given executor events, then the read models)', () => {
  const harness = projectionHarness(workflowExecutionsProjection);
  let storage: Storage;
  let runner: ProjectionRunner;
  beforeEach(() => ({ storage, runner } = harness));

  const given = async (...events: NewEvent[]) => {
    for (const event of events) {
      const id = (event.data as { execution_id: string }).execution_id;
      await storage.events.append(workflowExecutionStream(id), [event], { expectedVersion: 'any' });
    }
    await runner.waitFor(WORKFLOW_EXECUTIONS_PROJECTION, (await storage.events.head())!, 5000);
  };
  const day = () => storage.readModels.get<WorkflowDayView>(C.days, 'wf|2026-01-22');
  const last = () => storage.readModels.get<ExecutionView>(C.lastExecution, 'wf');

  it('counts a started execution as an attempt of its local day, running', async () => {
    await given(started('x1', '2026-01-22T11:00:00.000Z'));
    expect(await day()).toEqual({
      workflow: 'wf',
      local_date: '2026-01-22',
      attempts: 1,
      succeeded: false,
      last_execution_id: 'x1',
      last_started_at: '2026-01-22T11:00:00.000Z',
      last_status: 'running',
    });
    expect(await last()).toMatchObject({
      execution_id: 'x1',
      status: 'running',
      duration_ms: null,
    });
  });

  it('counts step outcomes live, then takes the final counts, status and duration', async () => {
    await given(started('x1', '2026-01-22T11:00:00.000Z'), step('x1', 'a', 'success'));
    expect((await last())!.counts).toMatchObject({ success: 1, failed: 0 });
    expect((await last())!.steps_finished).toBe(1);
    await given(step('x1', 'b', 'failed'), finished('x1', 'failed'));
    const view = await storage.readModels.get<ExecutionView>(C.executions, 'x1');
    expect(view).toMatchObject({
      status: 'failed',
      duration_ms: 2500,
      finished_at: '2026-01-22T11:00:02.500Z',
      errors: ['b: HTTP 500'],
      steps_finished: 2,
      counts: { success: 1, no_data: 0, failed: 1, timed_out: 0, circuit_open: 0 },
    });
    const [byDate] = await storage.readModels.list<ExecutionView>(C.executionsByDate, {
      prefix: '2026-01-22|',
    });
    expect(byDate).toEqual({ key: '2026-01-22|2026-01-22T11:00:00.000Z|x1', doc: view });
    expect(await day()).toMatchObject({ attempts: 1, succeeded: false, last_status: 'failed' });
  });

  it('remembers a success of the day after a later attempt fails', async () => {
    await given(
      started('x1', '2026-01-22T11:00:00.000Z'),
      finished('x1', 'completed'),
      started('x2', '2026-01-22T13:00:00.000Z'),
      finished('x2', 'failed'),
    );
    expect(await day()).toMatchObject({
      attempts: 2,
      succeeded: true,
      found_data: true,
      last_execution_id: 'x2',
      last_status: 'failed',
    });
    expect(await last()).toMatchObject({ execution_id: 'x2', status: 'failed' });
  });

  it('tells a completed run that found no rows from one that found data', async () => {
    const noRows = { success: 0, no_data: 1, failed: 0, timed_out: 0, circuit_open: 0 };
    await given(started('x1', '2026-01-22T11:00:00.000Z'), finished('x1', 'completed', noRows));
    expect(await day()).toMatchObject({ succeeded: true, found_data: false });
  });

  it('keeps the latest execution as last when an older one finishes after it started', async () => {
    await given(
      started('x1', '2026-01-22T11:00:00.000Z'),
      started('x2', '2026-01-22T12:00:00.000Z'),
      finished('x1', 'interrupted'),
    );
    expect(await last()).toMatchObject({ execution_id: 'x2', status: 'running' });
    expect(await day()).toMatchObject({
      attempts: 2,
      last_execution_id: 'x2',
      last_status: 'running',
    });
  });

  it('ignores a finish for an execution it never saw start', async () => {
    await given(finished('ghost', 'completed'));
    expect(await storage.readModels.get(C.executions, 'ghost')).toBeNull();
    expect(await last()).toBeNull();
  });
});
