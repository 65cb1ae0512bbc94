import type {
  WorkflowExecutionFinished,
  WorkflowExecutionStarted,
  WorkflowStepFinished,
} from '../../workflows/workflow.events.js';
import { executionRow } from './execution-row.mapper.js';

const started: WorkflowExecutionStarted = {
  execution_id: 'ev-1:morning_operations',
  workflow: 'morning_operations',
  evaluation_id: 'ev-1',
  trigger: 'scheduled',
  local_date: '2026-01-22',
  started_at: '2026-01-22T12:00:01.000Z',
  execution_mode: 'parallel',
  max_workers: 4,
  scrapers: ['nbac_schedule', 'espn_roster', 'bdl_box', 'odds_api'],
};

const step = (scraper: string, outcome: WorkflowStepFinished['outcome']): WorkflowStepFinished => ({
  execution_id: started.execution_id,
  workflow: started.workflow,
  step: 'step_1',
  scraper,
  outcome,
  attempts: 1,
  duration_ms: 1000,
  row_count: outcome === 'success' ? 10 : null,
  error: outcome === 'failed' ? 'HTTP 500' : null,
  finished_at: '2026-01-22T12:00:30.000Z',
});

const finished: WorkflowExecutionFinished = {
  execution_id: started.execution_id,
  workflow: started.workflow,
  status: 'failed',
  counts: { success: 1, no_data: 1, failed: 1, timed_out: 0, circuit_open: 1 },
  duration_ms: 29_500,
  errors: ['bdl_box: HTTP 500', 'odds_api: circuit open'],
  finished_at: '2026-01-22T12:00:30.500Z',
};

const steps = [
  step('nbac_schedule', 'success'),
  step('espn_roster', 'no_data'),
  step('bdl_box', 'failed'),
  step('odds_api', 'circuit_open'),
];

const context = { environment: 'staging' };

describe('executionRow', () => {
  it('given a scheduled execution, when mapped, then counts, ids and decision id come from its events and the environment from the workflows file', () => {
    expect(
      executionRow(
        { started, steps, finished, finishedRecordedAt: '2026-01-22T12:00:31.000Z' },
        context,
      ),
    ).toEqual({
      execution_id: 'ev-1:morning_operations',
      execution_time: '2026-01-22T12:00:01.000Z',
      workflow_name: 'morning_operations',
      decision_id: 'ev-1:morning_operations',
      scrapers_requested: ['nbac_schedule', 'espn_roster', 'bdl_box', 'odds_api'],
      scrapers_triggered: 4,
      scrapers_succeeded: 2,
      scrapers_failed: 2,
      scraper_execution_ids: [
        'ev-1:morning_operations:step_1:nbac_schedule',
        'ev-1:morning_operations:step_1:espn_roster',
        'ev-1:morning_operations:step_1:bdl_box',
        'ev-1:morning_operations:step_1:odds_api',
      ],
      status: 'failed',
      duration_seconds: 29.5,
      error_message: 'bdl_box: HTTP 500; odds_api: circuit open',
      environment: 'staging',
      created_at: '2026-01-22T12:00:31.000Z',
    });
  });

  it('given a manual run that succeeded, when mapped, then no decision id and no error', () => {
    const row = executionRow(
      {
        started: { ...started, evaluation_id: null, trigger: 'manual' },
        steps: [],
        finished: {
          ...finished,
          status: 'completed',
          counts: { success: 4, no_data: 0, failed: 0, timed_out: 0, circuit_open: 0 },
          errors: [],
        },
        finishedRecordedAt: 't',
      },
      context,
    );
    expect(row).toMatchObject({
      decision_id: null,
      error_message: null,
      status: 'completed',
      scrapers_triggered: 4,
      scrapers_succeeded: 4,
      scrapers_failed: 0,
    });
  });

  it('given a stream without its start, when mapped, then execution_time is finished_at minus the duration', () => {
    const row = executionRow(
      { started: null, steps: [], finished, finishedRecordedAt: 't' },
      context,
    );
    expect(row).toMatchObject({
      execution_time: '2026-01-22T12:00:01.000Z',
      scrapers_requested: [],
      decision_id: null,
    });
  });
});
